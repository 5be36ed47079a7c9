using Azure;
using Azure.Data.Tables;

namespace ProcoreConnect.Refresh;

/// <summary>
/// A <c>RefreshIndex</c> row. One partition, RowKey = zero-padded due time in Unix seconds + "_" +
/// workspace id, so "everything due by now" is one RowKey range read.
/// </summary>
internal sealed class RefreshIndexEntity : ITableEntity
{
    public const string Partition = "due";

    public string PartitionKey { get; set; } = Partition;
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
    public string WorkspaceId { get; set; } = "";
    public DateTimeOffset DueAt { get; set; }
}
