namespace ProcoreConnect.Events;

/// <summary>Where an event's delivery stands, as its record shows it.</summary>
public static class EventStatus
{
    /// <summary>Waiting for its next attempt.</summary>
    public const string Pending = "pending";

    /// <summary>The partner's webhook answered 2xx.</summary>
    public const string Delivered = "delivered";

    /// <summary>Given up after <see cref="EventOptions.MaxAttempts"/> attempts (or the webhook was removed).</summary>
    public const string Failed = "failed";

    /// <summary>Recorded while the partner had no webhook: kept, listed, and sent when asked for (redeliver).</summary>
    public const string NotSent = "not_sent";
}
