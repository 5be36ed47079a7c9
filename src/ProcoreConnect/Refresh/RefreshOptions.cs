namespace ProcoreConnect.Refresh;

/// <summary>How the refresh sweep runs.</summary>
public sealed class RefreshOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Refresh";

    /// <summary>
    /// Enqueue due workspaces for the queue-triggered <c>RefreshWorkspace</c> function (so the
    /// Functions host scales the work out) instead of refreshing them inside the timer.
    /// </summary>
    public bool UseQueue { get; set; } = true;

    /// <summary>The storage queue of due workspaces.</summary>
    public string QueueName { get; set; } = "refresh-due";

    /// <summary>Refreshes in flight at once, in the timer or in the local queue worker.</summary>
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>Most due entries one sweep takes; the rest wait for the next.</summary>
    public int MaxPerSweep { get; set; } = 10_000;

    /// <summary>
    /// Due entries per queue message (1-100): the queue function takes a message's leases and
    /// writes its index entries in one transaction each, so larger messages mean fewer storage
    /// requests per refresh; smaller ones spread a sweep over more instances.
    /// </summary>
    public int EntriesPerMessage { get; set; } = 32;

    /// <summary>
    /// Tries of a queue message before it goes to the poison queue, where the refreshes it names are
    /// marked as failing (the index entries stay, so the next sweep tries them again). The local
    /// queue worker's; under the host, <c>host.json</c>'s <c>extensions.queues.maxDequeueCount</c>,
    /// which is the same (HostJsonTests).
    /// </summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>
    /// How long a failed queue message waits before its next try: a back-off, not an instant retry.
    /// The local queue worker's; under the host, <c>host.json</c>'s <c>visibilityTimeout</c>, the same.
    /// </summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMinutes(1);
}
