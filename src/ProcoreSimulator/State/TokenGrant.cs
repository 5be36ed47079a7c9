namespace ProcoreSimulator.State;

/// <summary>
/// What an issued access token stands for: the client, when it expires, whether it came from
/// client credentials (a DMSA), and the refresh token issued with it (revoking either revokes both).
/// </summary>
public sealed record TokenGrant(string ClientId, DateTimeOffset ExpiresAt, bool ServiceAccount = false, string? RefreshToken = null);

/// <summary>An authorization code waiting to be exchanged.</summary>
public sealed record PendingCode(string ClientId, string RedirectUri, string? CodeChallenge, DateTimeOffset ExpiresAt);

/// <summary>A token endpoint answer: the JSON body and its status.</summary>
public sealed record TokenOutcome(int Status, object Body);
