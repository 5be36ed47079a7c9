using System.Globalization;
using ProcoreConnect.Secrets;

namespace ProcoreConnect.Tokens;

/// <summary>A shared token a client's row held before its current one, and when it expires at Procore.</summary>
public sealed record EarlierToken(SecretReference Token, DateTimeOffset ExpiresAt)
{
    /// <summary>Reads the row's list (versions of <paramref name="name"/>).</summary>
    public static IReadOnlyList<EarlierToken> Parse(string name, string? value)
    {
        var tokens = new List<EarlierToken>();
        foreach (var pair in (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            if (pair.Split(' ') is [var version, var expiry] && long.TryParse(expiry, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                tokens.Add(new EarlierToken(new SecretReference(name, version), DateTimeOffset.FromUnixTimeSeconds(seconds)));
            }
        }

        return tokens;
    }

    /// <summary>Writes the list for the row (null when empty).</summary>
    public static string? Format(IReadOnlyList<EarlierToken> tokens) =>
        tokens.Count == 0
            ? null
            : string.Join(';', tokens.Select(t => $"{t.Token.Version} {t.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}"));
}
