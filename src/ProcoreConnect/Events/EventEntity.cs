using Azure;
using Azure.Data.Tables;

namespace ProcoreConnect.Events;

/// <summary>An <c>Events</c> row (the outbox and the delivery record): PartitionKey = partner id, RowKey = event id.</summary>
internal sealed class EventEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
    public string Type { get; set; } = "";
    public string? WorkspaceId { get; set; }
    public string Body { get; set; } = "";
    public string Status { get; set; } = "pending";
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
}
