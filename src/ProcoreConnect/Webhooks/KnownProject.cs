namespace ProcoreConnect.Webhooks;

/// <summary>A project Procore announced, and whether the workspace's app can see it yet (null: could not tell).</summary>
public sealed record KnownProject(long ProjectId, DateTimeOffset FirstSeenAt, bool? VisibleToApp);

/// <summary>The Procore hook settings a partner configures, shown once.</summary>
public sealed record InboundHookSettings(Uri DeliveryUrl, string Authorization)
{
    /// <summary>Never the Authorization value: a record would print it.</summary>
    public override string ToString() => $"{nameof(InboundHookSettings)} {{ DeliveryUrl = {DeliveryUrl} }}";
}
