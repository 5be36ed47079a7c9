using Azure;
using Azure.Data.Tables;

namespace ProcoreConnect.Tokens;

/// <summary>
/// The <c>Leases</c> row: one partition, RowKey = subject (a workspace key or a client token key), one lease per refresh.
/// One partition lets the sweep take and release a hundred leases per transaction.
/// </summary>
internal sealed class RefreshLeaseEntity : ITableEntity
{
    public const string Partition = "lease";

    public string PartitionKey { get; set; } = Partition;
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
    public string Owner { get; set; } = "";
    public DateTimeOffset ExpiresAt { get; set; }
}
