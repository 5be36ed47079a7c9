using ProcoreConnect.Procore;
using ProcoreConnect.Secrets;

namespace ProcoreConnect.Tokens;

/// <summary>
/// An access token held in memory with what the token API returns beside it. For a
/// client-credentials workspace it is its client's shared token (<see cref="Shared"/>), with the
/// workspace's own company. A <see cref="Withheld"/> token serves the service's own calls only:
/// it is a public client's token that reaches more than one partner's customers, so no partner is shown it.
/// </summary>
public sealed record CachedToken
{
    /// <summary>The key of the workspace it was issued for (a re-created workspace's id has another).</summary>
    public required string WorkspaceKey { get; init; }

    /// <summary>The secret version the token was read from.</summary>
    public required SecretReference Reference { get; init; }

    /// <summary>The access token.</summary>
    public required string AccessToken { get; init; }

    /// <summary>When the token expires.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The workspace's Procore company.</summary>
    public required long CompanyId { get; init; }

    /// <summary>The workspace's Procore environment.</summary>
    public required ProcoreEnvironment Environment { get; init; }

    /// <summary>When the entry was last checked against the row.</summary>
    public required DateTimeOffset CheckedAt { get; init; }

    /// <summary>The client's shared token this is, for a client-credentials workspace.</summary>
    public ClientTokenKey? Shared { get; init; }

    /// <summary>While backing off after a failed refresh: until when the token is handed out without trying again.</summary>
    public DateTimeOffset? CoolingUntil { get; init; }

    /// <summary>Whether no partner may be shown the token.</summary>
    public bool Withheld { get; init; }

    /// <summary>Never the token: a record would print it, and this one may end up in a log.</summary>
    public override string ToString() => $"{nameof(CachedToken)} {{ workspace {WorkspaceKey}, company {CompanyId}, expires {ExpiresAt:u} }}";
}
