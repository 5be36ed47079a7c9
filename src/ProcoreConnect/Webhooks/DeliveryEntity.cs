using Azure;
using Azure.Data.Tables;

namespace ProcoreConnect.Webhooks;

/// <summary>A <c>WebhookDeliveries</c> row: PartitionKey = workspace key, RowKey = the delivery's key (ULID or id). Its existence deduplicates.</summary>
internal sealed class DeliveryEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
    public string? ResourceName { get; set; }
    public string? EventType { get; set; }
    public long? ResourceId { get; set; }
    public long? ProjectId { get; set; }
    public string Payload { get; set; } = "";
    public DateTimeOffset ReceivedAt { get; set; }
}

/// <summary>A <c>KnownProjects</c> row: PartitionKey = workspace key, RowKey = Procore project id.</summary>
internal sealed class KnownProjectEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
    public long CompanyId { get; set; }
    public DateTimeOffset FirstSeenAt { get; set; }
}
