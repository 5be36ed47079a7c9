using Azure;
using Azure.Data.Tables;

namespace ProcoreConnect.Audit;

/// <summary>The <c>AuditLog</c> row: PartitionKey = scope (a workspace id or <c>partner:{id}</c>), RowKey newest first.</summary>
internal sealed class AuditEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
    public string Actor { get; set; } = "";
    public string Action { get; set; } = "";
    public string? Details { get; set; }
    public DateTimeOffset At { get; set; }
}
