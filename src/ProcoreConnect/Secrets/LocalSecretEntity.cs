using Azure;
using Azure.Data.Tables;

namespace ProcoreConnect.Secrets;

/// <summary>A row of the local secret table: PartitionKey = secret name, RowKey = version.</summary>
internal sealed class LocalSecretEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    /// <summary>Nonce (12 bytes) + ciphertext + tag (16 bytes).</summary>
    public byte[] Sealed { get; set; } = [];
    public bool Enabled { get; set; } = true;

    /// <summary>Creation order, for "latest version" (Key Vault keeps this order itself).</summary>
    public long Sequence { get; set; }
}
