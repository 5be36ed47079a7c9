using Azure;
using Azure.Data.Tables;

namespace ProcoreConnect.Webhooks;

/// <summary>
/// A <c>WebhookDeliveries</c> row: PartitionKey = workspace key, RowKey = the delivery's key (ULID
/// or id). Its existence deduplicates. The raw payload is kept whole in up to three properties of at
/// most <see cref="PartLength"/> characters: Table Storage refuses a string property over 64 KiB
/// (32,768 UTF-16 characters), and a delivery may have up to <see cref="Http.JsonBody.MaxBytes"/>.
/// </summary>
internal sealed class DeliveryEntity : ITableEntity
{
    /// <summary>The most characters one payload property holds.</summary>
    public const int PartLength = 32_000;

    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
    public string? ResourceName { get; set; }
    public string? EventType { get; set; }
    public long? ResourceId { get; set; }
    public long? ProjectId { get; set; }

    /// <summary>The payload's first part (all of it, up to <see cref="PartLength"/> characters).</summary>
    public string Payload { get; set; } = "";

    public string? PayloadPart2 { get; set; }
    public string? PayloadPart3 { get; set; }

    /// <summary>The payload's length in characters: the parts joined are exactly this long.</summary>
    public int PayloadLength { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>Sets the payload, split into parts that never cut a surrogate pair in two.</summary>
    public void SetPayload(string payload)
    {
        var parts = new List<string>(3);
        for (var start = 0; start < payload.Length;)
        {
            var length = Math.Min(PartLength, payload.Length - start);
            if (start + length < payload.Length && char.IsHighSurrogate(payload[start + length - 1]))
            {
                length--;
            }

            parts.Add(payload.Substring(start, length));
            start += length;
        }

        if (parts.Count > 3)
        {
            throw new ArgumentException($"A payload of {payload.Length} characters exceeds what a delivery row holds.", nameof(payload));
        }

        Payload = parts.ElementAtOrDefault(0) ?? "";
        PayloadPart2 = parts.ElementAtOrDefault(1);
        PayloadPart3 = parts.ElementAtOrDefault(2);
        PayloadLength = payload.Length;
    }
}

/// <summary>A <c>KnownProjects</c> row: PartitionKey = workspace key, RowKey = Procore project id.</summary>
internal sealed class KnownProjectEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
    public long CompanyId { get; set; }
    public DateTimeOffset FirstSeenAt { get; set; }
}
