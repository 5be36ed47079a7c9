using Azure;
using Azure.Data.Tables;

namespace ProcoreConnect.Webhooks;

/// <summary>
/// The <c>InboundHooks</c> row: PartitionKey = the workspace's key (one creation of the id), RowKey
/// "procore"; the workspace it belongs to and a salted hash of the hook's Authorization value.
/// </summary>
internal sealed class InboundHookEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "procore";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
    public string PartnerId { get; set; } = "";
    public string WorkspaceId { get; set; } = "";
    public byte[] Salt { get; set; } = [];
    public byte[] Hash { get; set; } = [];
    public DateTimeOffset ConfiguredAt { get; set; }
}
