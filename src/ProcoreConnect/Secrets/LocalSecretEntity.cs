using Azure;
using Azure.Data.Tables;

namespace ProcoreConnect.Secrets;

/// <summary>
/// A row of the local secret table: PartitionKey = secret name, RowKey = version, or
/// <c>~latest-{name}</c> for the copy of the newest version.
/// </summary>
internal sealed class LocalSecretEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    /// <summary>Nonce (12 bytes) + ciphertext + tag (16 bytes).</summary>
    public byte[] Sealed { get; set; } = [];
    public bool Enabled { get; set; } = true;

    /// <summary>On the latest row only: the version it is a copy of.</summary>
    public string? Version { get; set; }
}
