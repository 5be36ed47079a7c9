using Azure;
using Azure.Data.Tables;

namespace ProcoreConnect.Tokens;

/// <summary>
/// A <c>ClientTokens</c> row: where a client-credentials client's shared token of one environment
/// is kept, and when it expires. PartitionKey = RowKey = <see cref="ClientTokenKey.Value"/>.
/// </summary>
internal sealed class ClientTokenEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    /// <summary>The client's secret prefix when the token was issued: a re-created client of the same name does not inherit it.</summary>
    public string ClientGeneration { get; set; } = "";

    /// <summary>The Procore client id the token was issued to.</summary>
    public string ClientId { get; set; } = "";
    public string TokenName { get; set; } = "";
    public string TokenVersion { get; set; } = "";
    public DateTimeOffset IssuedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset RefreshDueAt { get; set; }

    /// <summary>Earlier tokens of the row that may still be alive at Procore: "version expiry-unix-seconds" pairs, ';'-separated.</summary>
    public string? EarlierTokens { get; set; }
}
