using Azure;
using Azure.Data.Tables;

namespace ProcoreConnect.Events;

/// <summary>
/// An <c>Events</c> row (the outbox and the delivery record): PartitionKey = partner id, RowKey =
/// <see cref="EventKeys.RowKey"/> of the event id (newest first).
/// </summary>
internal sealed class EventEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
    public string EventId { get; set; } = "";
    public string Type { get; set; } = "";
    public string? WorkspaceId { get; set; }
    public string Body { get; set; } = "";
    public string Status { get; set; } = EventStatus.Pending;
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }

    // Rows written before ids and keys parted have their id as the key.
    public string Id() => EventId.Length > 0 ? EventId : RowKey;

    public EventRecord ToRecord()
    {
        using var body = System.Text.Json.JsonDocument.Parse(Body);
        return new EventRecord
        {
            EventId = Id(),
            Type = Type,
            WorkspaceId = WorkspaceId,
            Status = Status,
            Attempts = Attempts,
            LastStatusCode = LastStatusCode,
            LastError = LastError,
            CreatedAt = CreatedAt,
            DeliveredAt = DeliveredAt,
            Data = body.RootElement.TryGetProperty("data", out var data) ? data.Clone() : null,
        };
    }
}
