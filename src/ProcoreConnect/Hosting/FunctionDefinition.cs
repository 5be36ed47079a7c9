namespace ProcoreConnect.Hosting;

/// <summary>One Azure Function: its name, trigger, binding and the handler that serves it.</summary>
public sealed record FunctionDefinition
{
    /// <summary>The function's name: its folder in the package and, for timers, its invocation path.</summary>
    public required string Name { get; init; }

    /// <summary>What invokes the function.</summary>
    public required FunctionTrigger Trigger { get; init; }

    /// <summary>HTTP route template under the <c>/api</c> prefix (HTTP functions only).</summary>
    public string? Route { get; init; }

    /// <summary>HTTP methods, upper case (HTTP functions only).</summary>
    public IReadOnlyList<string> Methods { get; init; } = [];

    /// <summary>
    /// Whether the Functions host also demands a function key. Browser-facing routes (the OAuth
    /// callback) and the health probe cannot carry one, so they are anonymous to the host.
    /// </summary>
    public FunctionAuthLevel AuthLevel { get; init; } = FunctionAuthLevel.Function;

    /// <summary>
    /// The authorization policy the app enforces itself (null: anonymous). Timer and queue
    /// functions have none: under the Functions host only the host reaches them, on the handler's
    /// local port; without the host they are the admin's (see <see cref="FunctionEndpoints"/>).
    /// </summary>
    public string? Policy { get; init; }

    /// <summary>Configuration key of the NCRONTAB schedule (timer functions only).</summary>
    public string? ScheduleSetting { get; init; }

    /// <summary>Default schedule used when <see cref="ScheduleSetting"/> is not configured.</summary>
    public string? DefaultSchedule { get; init; }

    /// <summary>Configuration key of the storage queue's name (queue functions only); the app enqueues to the same queue.</summary>
    public string? QueueSetting { get; init; }

    /// <summary>What follows the configured name in the queue's name (queue functions only): <c>-poison</c> for a poison queue.</summary>
    public string QueueSuffix { get; init; } = "";

    /// <summary>Maps the HTTP function's route onto its minimal-API handler (HTTP functions only).</summary>
    public HttpMapper? MapHttp { get; init; }

    /// <summary>The work of a timer (<see cref="TimerHandler"/>) or queue (<see cref="QueueHandler"/>) function.</summary>
    public Delegate? Handler { get; init; }

    /// <summary>The path the app serves this function on.</summary>
    public string AppPath => Trigger == FunctionTrigger.Http ? "/api/" + Route : "/" + Name;

    /// <summary>Defines an HTTP-triggered function.</summary>
    public static FunctionDefinition Http(string name, string method, string route, HttpMapper map, string? policy = Security.Roles.Partner) =>
        new()
        {
            Name = name,
            Trigger = FunctionTrigger.Http,
            Methods = [method],
            Route = route,
            MapHttp = map,
            Policy = policy,
            // Browser and Procore callers cannot carry a function key; the app checks them itself.
            AuthLevel = policy is null ? FunctionAuthLevel.Anonymous : FunctionAuthLevel.Function,
        };

    /// <summary>
    /// Defines a queue-triggered function on the host's storage account (AzureWebJobsStorage), on the
    /// queue the setting names followed by <paramref name="queueSuffix"/>.
    /// </summary>
    public static FunctionDefinition Queue(string name, string queueSetting, QueueHandler handler, string queueSuffix = "") =>
        new()
        {
            Name = name,
            Trigger = FunctionTrigger.Queue,
            QueueSetting = queueSetting,
            QueueSuffix = queueSuffix,
            Handler = handler,
        };

    /// <summary>Defines a timer-triggered function whose schedule is read from configuration.</summary>
    public static FunctionDefinition Timer(string name, string defaultSchedule, TimerHandler handler) =>
        new()
        {
            Name = name,
            Trigger = FunctionTrigger.Timer,
            ScheduleSetting = "Schedules:" + name,
            DefaultSchedule = defaultSchedule,
            Handler = handler,
            AuthLevel = FunctionAuthLevel.Function,
        };
}

/// <summary>
/// Maps an HTTP function: <c>(app, f) =&gt; app.MapMethods(f.AppPath, f.Methods, Handler)</c>. The
/// handler is named at the call site so that the Request Delegate Generator builds it at compile
/// time; a handler passed around as a <see cref="Delegate"/> would be built by reflection and
/// compiled expressions at start-up (about 60 ms of a cold start for these 21 routes). A mapper may
/// also map a library's endpoints (the API reference), hence the general builder it answers.
/// </summary>
public delegate IEndpointConventionBuilder HttpMapper(IEndpointRouteBuilder app, FunctionDefinition function);

/// <summary>
/// The work a queue function does with one message body; false asks the host to retry
/// (the handler answers 500), true completes the message.
/// </summary>
public delegate Task<bool> QueueHandler(IServiceProvider services, System.Text.Json.JsonElement message, CancellationToken cancellationToken);

/// <summary>The work a timer function does; the same delegate serves the host and the local scheduler.</summary>
public delegate Task TimerHandler(IServiceProvider services, CancellationToken cancellationToken);
