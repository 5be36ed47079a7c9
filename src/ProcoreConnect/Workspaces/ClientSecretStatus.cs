namespace ProcoreConnect.Workspaces;

/// <summary>What a response may say about a client secret: that one is set, and since when. Never its value.</summary>
public sealed record ClientSecretStatus(bool IsSet, DateTimeOffset UpdatedAt);
