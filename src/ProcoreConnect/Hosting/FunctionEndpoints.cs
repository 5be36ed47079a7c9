using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ProcoreConnect.Hosting;

/// <summary>Maps functions: the <c>/api</c> group of the HTTP ones, timers and queues, and the host's readiness probe.</summary>
public static class FunctionEndpoints
{
    /// <summary>
    /// The header the Functions host adds to every request it sends the handler, forwarded HTTP
    /// requests and invocations alike (Azure/azure-functions-host,
    /// src/WebJobs.Script/Workers/Http/DefaultHttpWorkerService.cs, AddHeaders).
    /// </summary>
    public const string InvocationIdHeader = "X-Azure-Functions-InvocationId";

    /// <summary>Where the host forwards HTTP functions: its route prefix (<c>host.json</c>, <c>extensions.http.routePrefix</c>).</summary>
    public const string HttpPrefix = "/api/";

    /// <summary>
    /// The group every HTTP function is mapped in: <c>/api</c>, each endpoint an HTTP function of the
    /// endpoint's name, at its route, with its methods, anonymous to the host when the app lets
    /// anyone call it (<see cref="FunctionDefinition"/>).
    /// </summary>
    public static RouteGroupBuilder MapHttpFunctions(this IEndpointRouteBuilder app) =>
        app.MapGroup(HttpPrefix.TrimEnd('/')).WithMetadata(FunctionBinding.Http);

    /// <summary>A timer function at <c>POST /{name}</c>, on <c>Schedules:{name}</c> or <paramref name="defaultSchedule"/>.</summary>
    public static RouteHandlerBuilder MapTimer(this IEndpointRouteBuilder app, string name, string defaultSchedule, TimerHandler handler) =>
        app.MapInvocation(name, FunctionBinding.Timer(name, defaultSchedule, handler));

    /// <summary>
    /// A queue function at <c>POST /{name}</c>, on the queue the setting names followed by
    /// <paramref name="queueSuffix"/>, on the host's storage account (AzureWebJobsStorage).
    /// </summary>
    public static RouteHandlerBuilder MapQueue(this IEndpointRouteBuilder app, string name, string queueSetting, QueueHandler handler, string queueSuffix = "") =>
        app.MapInvocation(name, FunctionBinding.Queue(queueSetting, handler, queueSuffix));

    private static RouteHandlerBuilder MapInvocation(this IEndpointRouteBuilder app, string name, FunctionBinding binding)
    {
        var endpoint = app.MapPost(
                "/" + name,
                (HttpRequest request, IServiceProvider services, ILoggerFactory loggers, CancellationToken cancellationToken) =>
                    InvokeAsync(name, binding, request, services, loggers, cancellationToken))
            .WithName(name)
            .WithMetadata(binding)
            .ExcludeFromDescription();
        if (!CustomHandlerPort.IsHostedByFunctions(app.ServiceProvider.GetRequiredService<IConfiguration>()))
        {
            // Under the host only the host reaches these (it sends no key, on the handler's
            // loopback port); run on its own, the app may be reachable by anyone who can reach
            // its port, and a timer or queue call spends Procore refreshes: an operator's only.
            endpoint.RequireAuthorization(Security.Roles.Admin);
        }

        return endpoint;
    }

    /// <summary>
    /// <c>GET /</c>, anonymous and without I/O: the Functions host polls it every 25 ms after starting
    /// the handler and takes any HTTP answer as "started", giving up after 30 s
    /// (DefaultHttpWorkerService.IsWorkerReady, HttpWorkerOptions.InitializationTimeout); later it
    /// pings the same path to measure the handler's latency (PingAsync). It is no function, and only
    /// the host reaches it: the handler listens on loopback.
    /// </summary>
    public static IEndpointRouteBuilder MapHostReadiness(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", static () => TypedResults.Ok()).WithName("HostReadiness").ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<Ok<FunctionInvocationResponse>, ProblemHttpResult>> InvokeAsync(
        string name, FunctionBinding binding, HttpRequest request, IServiceProvider services, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        // The payload is {"Data": {...}, "Metadata": {...}}, sent chunked (the host's ObjectContent has
        // no length); anything that is not JSON did not come from the host.
        JsonElement? payload = null;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            try
            {
                using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
                payload = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                return TypedResults.Problem(
                    "The invocation payload is not valid JSON.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid invocation payload");
            }
        }

        // A stopping instance (SIGTERM on scale-in or a deployment) starts nothing new: what is in
        // flight finishes and is stored (a refresh ignores cancellation once Procore has its token),
        // what is not begun stays in the index or the queue for the next run.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(
            cancellationToken, services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        cancellationToken = stopping.Token;

        var logger = loggers.CreateLogger("ProcoreConnect.Functions");
        var invocationId = request.Headers[InvocationIdHeader].ToString();
        if (binding.Handler is TimerHandler timer)
        {
            logger.LogInformation("Function {Function} invoked by the Functions host, invocation {InvocationId}", name, invocationId);
            try
            {
                await timer(services, cancellationToken);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                logger.LogWarning("Function {Function} stopped early: the instance is stopping; the next run takes up the rest", name);
                return TypedResults.Problem(
                    "The instance is stopping; what was not begun is left for the next run.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Stopping");
            }

            return TypedResults.Ok(new FunctionInvocationResponse { Logs = [$"{name} completed"] });
        }

        if (payload is not { ValueKind: JsonValueKind.Object } body
            || !body.TryGetProperty("Data", out var data) || !data.TryGetProperty("msg", out var message))
        {
            return TypedResults.Problem(
                "A queue invocation needs Data.msg.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid invocation payload");
        }

        logger.LogInformation(
            "Function {Function} invoked by the Functions host, invocation {InvocationId}, delivery {DequeueCount}",
            name, invocationId, DequeueCountOf(body));
        var done = await ((QueueHandler)binding.Handler!)(services, message, cancellationToken);
        return done
            ? TypedResults.Ok(new FunctionInvocationResponse { Logs = [$"{name} completed"] })
            : TypedResults.Problem("The message will be retried.", statusCode: StatusCodes.Status500InternalServerError, title: "Retry");
    }

    /// <summary>
    /// How many times the queue has delivered the message (null when absent). The host sends every
    /// metadata value that is not an object serialized as a string, so <c>DequeueCount</c> arrives
    /// as <c>"1"</c> (ScriptInvocationContextExtensions.GetHttpScriptInvocationContextValue); a number
    /// is read as well.
    /// </summary>
    internal static long? DequeueCountOf(JsonElement payload) =>
        payload.TryGetProperty("Metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty("DequeueCount", out var count)
            ? count.ValueKind switch
            {
                JsonValueKind.Number when count.TryGetInt64(out var n) => n,
                JsonValueKind.String when long.TryParse(count.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
                _ => null,
            }
            : null;
}
