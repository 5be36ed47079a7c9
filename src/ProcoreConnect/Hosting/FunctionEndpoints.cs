using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ProcoreConnect.Hosting;

/// <summary>Maps the function table onto minimal-API routes.</summary>
public static class FunctionEndpoints
{
    /// <summary>Maps every function: HTTP ones at their route, timers and queues at <c>POST /{Name}</c>.</summary>
    public static IEndpointRouteBuilder MapFunctions(this IEndpointRouteBuilder app, IEnumerable<FunctionDefinition> functions)
    {
        foreach (var function in functions)
        {
            var endpoint = function.Trigger switch
            {
                FunctionTrigger.Http => function.MapHttp!(app, function),
                FunctionTrigger.Timer or FunctionTrigger.Queue => app.MapPost(
                    function.AppPath,
                    (HttpRequest request, IServiceProvider services, ILoggerFactory loggers, CancellationToken cancellationToken) =>
                        InvokeAsync(function, request, services, loggers, cancellationToken)),
                _ => throw new InvalidOperationException($"Unknown trigger {function.Trigger}."),
            };
            endpoint.WithName(function.Name).WithMetadata(function);
            if (function.Policy is { } policy)
            {
                endpoint.RequireAuthorization(policy);
            }
        }

        return app;
    }

    private static async Task<Results<Ok<FunctionInvocationResponse>, ProblemHttpResult>> InvokeAsync(
        FunctionDefinition function, HttpRequest request, IServiceProvider services, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        // The payload is {"Data": {...}, "Metadata": {...}}; anything that is not JSON did not come from the host.
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

        var logger = loggers.CreateLogger("ProcoreConnect.Functions");
        logger.LogInformation("Function {Function} invoked by the Functions host", function.Name);
        if (function.Handler is TimerHandler timer)
        {
            await timer(services, cancellationToken);
            return TypedResults.Ok(new FunctionInvocationResponse { Logs = [$"{function.Name} completed"] });
        }

        if (payload is not { ValueKind: JsonValueKind.Object } body
            || !body.TryGetProperty("Data", out var data) || !data.TryGetProperty("msg", out var message))
        {
            return TypedResults.Problem(
                "A queue invocation needs Data.msg.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid invocation payload");
        }

        var done = await ((QueueHandler)function.Handler!)(services, message, cancellationToken);
        return done
            ? TypedResults.Ok(new FunctionInvocationResponse { Logs = [$"{function.Name} completed"] })
            : TypedResults.Problem("The message will be retried.", statusCode: StatusCodes.Status500InternalServerError, title: "Retry");
    }
}
