using ProcoreConnect.Procore;
using ProcoreConnect.Secrets;

namespace ProcoreConnect.Tokens;

/// <summary>
/// An access token held in memory with what the token API returns beside it. For a
/// client-credentials workspace it is its client's shared token (<see cref="Shared"/>), with the
/// workspace's own company. A <see cref="Withheld"/> token serves the service's own calls only:
/// it is a public client's token that reaches more than one partner's customers, so no partner is shown it.
/// </summary>
public sealed record CachedToken(
    string WorkspaceKey,
    SecretReference Reference,
    string AccessToken,
    DateTimeOffset ExpiresAt,
    long CompanyId,
    ProcoreEnvironment Environment,
    DateTimeOffset CheckedAt,
    ClientTokenKey? Shared = null,
    DateTimeOffset? CoolingUntil = null,
    bool Withheld = false)
{
    /// <summary>Never the token: a record would print it, and this one may end up in a log.</summary>
    public override string ToString() => $"{nameof(CachedToken)} {{ workspace {WorkspaceKey}, company {CompanyId}, expires {ExpiresAt:u} }}";
}
