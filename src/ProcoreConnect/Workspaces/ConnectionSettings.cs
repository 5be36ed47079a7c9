using ProcoreConnect.Procore;

namespace ProcoreConnect.Workspaces;

/// <summary>A <see cref="ConnectionRequest"/> that passed validation.</summary>
public sealed record ConnectionSettings
{
    /// <summary>The Procore company id.</summary>
    public required long CompanyId { get; init; }

    /// <summary>The Procore environment.</summary>
    public required ProcoreEnvironment Environment { get; init; }

    /// <summary>The OAuth client's name (resolved against the caller's clients, then public ones).</summary>
    public required string OAuthClient { get; init; }

    /// <summary>A refresh token to redeem and keep, when the partner brings one.</summary>
    public string? RefreshToken { get; init; }

    /// <summary>The new tags; null leaves them as they are.</summary>
    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    /// <summary>Never the refresh token: a record would print it.</summary>
    public override string ToString() =>
        $"{nameof(ConnectionSettings)} {{ company {CompanyId}, {Environment}, client {OAuthClient}, refresh token {(RefreshToken is null ? "none" : "given")}, {Tags?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unchanged"} tags }}";
}
