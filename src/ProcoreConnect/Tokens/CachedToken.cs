using ProcoreConnect.Secrets;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tokens;

/// <summary>An access token held in memory with what the token API returns beside it.</summary>
public sealed record CachedToken(
    string OwnerPartnerId,
    SecretReference Reference,
    string AccessToken,
    DateTimeOffset ExpiresAt,
    long CompanyId,
    ProcoreEnvironment Environment,
    DateTimeOffset CheckedAt);
