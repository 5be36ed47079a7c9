namespace ProcoreConnect.Clients;

/// <summary>
/// What a response may say about a client secret: that one is set, since when, when it expires if
/// the partner told us, and whether Procore refused it. Never its value.
/// </summary>
public sealed record ClientSecretStatus(bool IsSet, DateTimeOffset UpdatedAt, DateTimeOffset? ExpiresAt = null, bool ExpiringSoon = false, bool RefusedByProcore = false);
