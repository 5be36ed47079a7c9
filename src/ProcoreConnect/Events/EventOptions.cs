namespace ProcoreConnect.Events;

/// <summary>Outgoing partner events.</summary>
public sealed class EventOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Events";

    /// <summary>Accept http:// webhook URLs on loopback (development and tests only); anything else must be https.</summary>
    public bool AllowInsecureLoopback { get; set; }

    /// <summary>Delivery attempts before an event is marked failed.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>
    /// How long events are kept (listed and redeliverable), whether or not they were delivered;
    /// the <c>PurgeDeletedWorkspaces</c> timer deletes older ones.
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How many of one partner's due events one delivery pass posts (the earliest due); the rest
    /// wait for the next pass. A pass ends when its slowest post does, so this bounds what one
    /// partner's slow or silent webhook can hold of a pass that other partners' events share.
    /// </summary>
    public int PerPartnerPerPass { get; set; } = 4;

    /// <summary>How long one delivery may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
