namespace ProcoreConnect.Events;

/// <summary>An event as a partner can read its delivery record.</summary>
public sealed record EventRecord(
    string EventId, string Type, string? WorkspaceId, string Status, int Attempts, int? LastStatusCode, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt);
