namespace ProcoreConnect.Hosting;

/// <summary>
/// Endpoint metadata: how the Functions host invokes the endpoint's function. Every endpoint under
/// <c>/api</c> carries <see cref="Http"/> (<see cref="FunctionEndpoints.MapHttpFunctions"/>);
/// <see cref="FunctionEndpoints.MapTimer"/> and <see cref="FunctionEndpoints.MapQueue"/> declare the
/// others with their schedule or queue and the work they do.
/// </summary>
public sealed record FunctionBinding
{
    /// <summary>What invokes the function.</summary>
    public required FunctionTrigger Trigger { get; init; }

    /// <summary>Configuration key of the NCRONTAB schedule (timer functions only).</summary>
    public string? ScheduleSetting { get; init; }

    /// <summary>Default schedule used when <see cref="ScheduleSetting"/> is not configured.</summary>
    public string? DefaultSchedule { get; init; }

    /// <summary>Configuration key of the storage queue's name (queue functions only); the app enqueues to the same queue.</summary>
    public string? QueueSetting { get; init; }

    /// <summary>What follows the configured name in the queue's name (queue functions only): <c>-poison</c> for a poison queue.</summary>
    public string QueueSuffix { get; init; } = "";

    /// <summary>The work of a timer (<see cref="TimerHandler"/>) or queue (<see cref="QueueHandler"/>) function.</summary>
    public Delegate? Handler { get; init; }

    /// <summary>An HTTP request, forwarded by the host to the same path.</summary>
    public static FunctionBinding Http { get; } = new() { Trigger = FunctionTrigger.Http };

    /// <summary>A timer whose schedule is read from <c>Schedules:{name}</c>, else <paramref name="defaultSchedule"/>.</summary>
    public static FunctionBinding Timer(string name, string defaultSchedule, TimerHandler handler) => new()
    {
        Trigger = FunctionTrigger.Timer,
        ScheduleSetting = "Schedules:" + name,
        DefaultSchedule = defaultSchedule,
        Handler = handler,
    };

    /// <summary>
    /// A queue on the host's storage account (AzureWebJobsStorage): the one the setting names,
    /// followed by <paramref name="queueSuffix"/>.
    /// </summary>
    public static FunctionBinding Queue(string queueSetting, QueueHandler handler, string queueSuffix = "") => new()
    {
        Trigger = FunctionTrigger.Queue,
        QueueSetting = queueSetting,
        QueueSuffix = queueSuffix,
        Handler = handler,
    };
}

/// <summary>
/// The work a queue function does with one message body; false asks the host to retry
/// (the handler answers 500), true completes the message.
/// </summary>
public delegate Task<bool> QueueHandler(IServiceProvider services, System.Text.Json.JsonElement message, CancellationToken cancellationToken);

/// <summary>The work a timer function does; the same delegate serves the host and the local scheduler.</summary>
public delegate Task TimerHandler(IServiceProvider services, CancellationToken cancellationToken);
