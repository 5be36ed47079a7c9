namespace ProcoreConnect.Workspaces;

/// <summary>
/// What a response may say about a client secret: that one is set, since when, and when it
/// expires if the partner told us. Never its value.
/// </summary>
public sealed record ClientSecretStatus(bool IsSet, DateTimeOffset UpdatedAt, DateTimeOffset? ExpiresAt = null, bool ExpiringSoon = false);
