using Azure;
using Azure.Data.Tables;

namespace ProcoreConnect.Security;

/// <summary>The <c>PartnerKeys</c> row: PartitionKey = RowKey = key id. Holds a salted hash, never the key.</summary>
internal sealed class PartnerKeyEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
    public string PartnerId { get; set; } = "";
    public string? Name { get; set; }
    public byte[] Salt { get; set; } = [];
    public byte[] Hash { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
}
