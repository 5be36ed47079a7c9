using ProcoreConnect.Secrets;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tokens;

/// <summary>
/// An access token held in memory with what the token API returns beside it. For a
/// client-credentials workspace it is its client's shared token (<see cref="Shared"/>), with the
/// workspace's own company.
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
    DateTimeOffset? CoolingUntil = null)
{
    /// <summary>Never the token: a record would print it, and this one may end up in a log.</summary>
    public override string ToString() => $"{nameof(CachedToken)} {{ workspace {WorkspaceKey}, company {CompanyId}, expires {ExpiresAt:u} }}";
}
