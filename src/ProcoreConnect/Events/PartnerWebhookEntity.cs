using Azure;
using Azure.Data.Tables;

namespace ProcoreConnect.Events;

/// <summary>The <c>PartnerWebhooks</c> row: PartitionKey = RowKey = partner id; the URL and where its signing secret is kept.</summary>
internal sealed class PartnerWebhookEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
    public string Url { get; set; } = "";
    public string SecretName { get; set; } = "";
    public string SecretVersion { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
}
