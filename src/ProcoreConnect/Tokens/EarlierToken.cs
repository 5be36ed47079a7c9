using System.Globalization;
using ProcoreConnect.Secrets;

namespace ProcoreConnect.Tokens;

/// <summary>A shared token a client's row held before its current one, and when it expires at Procore.</summary>
public sealed record EarlierToken(SecretReference Token, DateTimeOffset ExpiresAt)
{
    /// <summary>Reads the row's list (versions of <paramref name="name"/>).</summary>
    public static IReadOnlyList<EarlierToken> Parse(string name, string? value) =>
        string.IsNullOrEmpty(value)
            ? []
            : [.. value.Split(';', StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => pair.Split(' '))
                .Where(parts => parts.Length == 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _))
                .Select(parts => new EarlierToken(
                    new SecretReference(name, parts[0]), DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts[1], CultureInfo.InvariantCulture))))];

    /// <summary>Writes the list for the row (null when empty).</summary>
    public static string? Format(IReadOnlyList<EarlierToken> tokens) =>
        tokens.Count == 0
            ? null
            : string.Join(';', tokens.Select(t => $"{t.Token.Version} {t.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}"));
}
