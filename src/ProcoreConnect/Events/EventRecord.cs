namespace ProcoreConnect.Events;

/// <summary>An event as a partner can read its delivery record.</summary>
public sealed record EventRecord
{
    /// <summary>The event's id (a ULID).</summary>
    public required string EventId { get; init; }

    /// <summary>The event type, e.g. <c>connected</c>.</summary>
    [Common.WireValues(typeof(EventTypes))]
    public required string Type { get; init; }

    /// <summary>The workspace it is about, if any.</summary>
    public required string? WorkspaceId { get; init; }

    /// <summary>Its delivery status: <c>pending</c>, <c>delivered</c>, <c>failed</c> (given up), or <c>not_sent</c> (no webhook then).</summary>
    [Common.WireValues(typeof(EventStatus))]
    public required string Status { get; init; }

    /// <summary>Delivery attempts so far.</summary>
    public required int Attempts { get; init; }

    /// <summary>The status code the partner's endpoint last answered, if any.</summary>
    public required int? LastStatusCode { get; init; }

    /// <summary>Why the last attempt failed, if it did.</summary>
    public required string? LastError { get; init; }

    /// <summary>When the event was recorded.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it was delivered, if it was.</summary>
    public required DateTimeOffset? DeliveredAt { get; init; }

    /// <summary>The event's <c>data</c>, exactly as delivered (never a secret).</summary>
    public System.Text.Json.JsonElement? Data { get; init; }
}
