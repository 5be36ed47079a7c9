using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ProcoreConnect.Hosting;

/// <summary>Maps the function table onto minimal-API routes.</summary>
public static class FunctionEndpoints
{
    /// <summary>Maps every function: HTTP ones at their route, timers at <c>POST /{Name}</c>.</summary>
    public static IEndpointRouteBuilder MapFunctions(this IEndpointRouteBuilder app, IEnumerable<FunctionDefinition> functions)
    {
        foreach (var function in functions)
        {
            var endpoint = function.Trigger switch
            {
                FunctionTrigger.Http => app.MapMethods(function.AppPath, function.Methods, function.Handler),
                FunctionTrigger.Timer => app.MapPost(function.AppPath, InvokeTimer((TimerHandler)function.Handler, function.Name)),
                _ => throw new InvalidOperationException($"Unknown trigger {function.Trigger}."),
            };
            endpoint.WithName(function.Name).WithMetadata(function);
        }

        return app;
    }

    private static Func<HttpRequest, IServiceProvider, ILoggerFactory, CancellationToken, Task<Results<Ok<FunctionInvocationResponse>, ProblemHttpResult>>>
        InvokeTimer(TimerHandler handler, string name) =>
        async (request, services, loggers, cancellationToken) =>
        {
            // The payload ({"Data": {"timer": …}, "Metadata": …}) carries nothing the handlers need,
            // but it must be JSON: anything else did not come from the Functions host.
            if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
            {
                try
                {
                    using var payload = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
                }
                catch (JsonException)
                {
                    return TypedResults.Problem(
                        "The invocation payload is not valid JSON.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid invocation payload");
                }
            }

            var logger = loggers.CreateLogger("ProcoreConnect.Timers");
            logger.LogInformation("Timer function {Function} invoked by the Functions host", name);
            await handler(services, cancellationToken);
            return TypedResults.Ok(new FunctionInvocationResponse { Logs = [$"{name} completed"] });
        };
}
