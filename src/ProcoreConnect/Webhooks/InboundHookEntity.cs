using Azure;
using Azure.Data.Tables;

namespace ProcoreConnect.Webhooks;

/// <summary>The <c>InboundHooks</c> row: PartitionKey = workspace id; a salted hash of the hook's Authorization value.</summary>
internal sealed class InboundHookEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "procore";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
    public byte[] Salt { get; set; } = [];
    public byte[] Hash { get; set; } = [];
    public DateTimeOffset ConfiguredAt { get; set; }
}
