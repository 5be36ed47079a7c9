using Azure;
using Azure.Data.Tables;

namespace ProcoreConnect.Tokens;

/// <summary>
/// A <c>RefreshIndex</c> row. One partition, RowKey = the due time in UTC ticks (19 digits) + "_" +
/// subject (a workspace key, or a client token's key), so "everything due by now" is one RowKey
/// range read. The other columns say what the subject is.
/// </summary>
internal sealed class RefreshIndexEntity : ITableEntity
{
    public const string Partition = "due";

    public string PartitionKey { get; set; } = Partition;
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
    public string Kind { get; set; } = "";
    public string? PartnerId { get; set; }
    public string? WorkspaceId { get; set; }
    public string? WorkspaceKey { get; set; }
    public string? ClientOwner { get; set; }
    public string? ClientName { get; set; }
    public string? Environment { get; set; }
    public DateTimeOffset DueAt { get; set; }
}
