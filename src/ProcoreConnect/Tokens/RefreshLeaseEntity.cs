using Azure;
using Azure.Data.Tables;

namespace ProcoreConnect.Tokens;

/// <summary>The <c>Leases</c> row: PartitionKey = RowKey = workspace id, one lease per workspace's refresh.</summary>
internal sealed class RefreshLeaseEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
    public string Owner { get; set; } = "";
    public DateTimeOffset ExpiresAt { get; set; }
}
