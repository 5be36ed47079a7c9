using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;

namespace ProcoreConnect.Hosting;

/// <summary>
/// One Azure Function as its endpoint declares it: the endpoint's name, binding, route, methods
/// and policy. Read from the endpoints the app maps, never listed beside them.
/// </summary>
public sealed record FunctionDefinition
{
    /// <summary>The function's name (the endpoint's): its folder in the package and, for timers and queues, its invocation path.</summary>
    public required string Name { get; init; }

    /// <summary>How the host invokes it.</summary>
    public required FunctionBinding Binding { get; init; }

    /// <summary>What invokes the function.</summary>
    public FunctionTrigger Trigger => Binding.Trigger;

    /// <summary>HTTP route template under the <c>/api</c> prefix (HTTP functions only).</summary>
    public string? Route { get; init; }

    /// <summary>HTTP methods, upper case.</summary>
    public IReadOnlyList<string> Methods { get; init; } = [];

    /// <summary>
    /// The authorization policy the app enforces itself (null: anonymous). Under the Functions host
    /// timer and queue functions have none: only the host reaches them, on the handler's local
    /// port; without the host they are the admin's (see <see cref="FunctionEndpoints"/>).
    /// </summary>
    public string? Policy { get; init; }

    /// <summary>
    /// Whether the Functions host also demands a function key. Browser-facing routes (the OAuth
    /// callback) and the health probe cannot carry one, so an anonymous endpoint is anonymous to
    /// the host too.
    /// </summary>
    public FunctionAuthLevel AuthLevel => Policy is null ? FunctionAuthLevel.Anonymous : FunctionAuthLevel.Function;

    /// <summary>Every function among the endpoints the app maps, in the order it maps them.</summary>
    public static IReadOnlyList<FunctionDefinition> In(IEndpointRouteBuilder app) => In(app.DataSources.SelectMany(d => d.Endpoints));

    /// <summary>
    /// Every function among <paramref name="endpoints"/>: each named endpoint with a
    /// <see cref="FunctionBinding"/>. The others are the host's readiness probe and the files a page
    /// loads through its function's route (the API reference's scripts).
    /// </summary>
    public static IReadOnlyList<FunctionDefinition> In(IEnumerable<Endpoint> endpoints) =>
    [
        .. from endpoint in endpoints.OfType<RouteEndpoint>()
           let name = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName
           let binding = endpoint.Metadata.GetMetadata<FunctionBinding>()
           where name is not null && binding is not null
           select Of(name, binding, endpoint),
    ];

    private static FunctionDefinition Of(string name, FunctionBinding binding, RouteEndpoint endpoint)
    {
        var pattern = endpoint.RoutePattern.RawText ?? "";
        if (binding.Trigger == FunctionTrigger.Http && !pattern.StartsWith(FunctionEndpoints.HttpPrefix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"HTTP function {name} is mapped at {pattern}, outside {FunctionEndpoints.HttpPrefix}: the host forwards nothing else.");
        }

        // The authorization middleware demands every policy an endpoint carries: one says who may call.
        var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Distinct().ToList();
        if (policies.Count > 1)
        {
            throw new InvalidOperationException($"Function {name} requires {string.Join(" and ", policies)}: declare one policy.");
        }

        var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
        return new FunctionDefinition
        {
            Name = name,
            Binding = binding,
            Route = binding.Trigger == FunctionTrigger.Http ? pattern[FunctionEndpoints.HttpPrefix.Length..] : null,
            Methods = [.. endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []],
            Policy = anonymous ? null : policies.SingleOrDefault(),
        };
    }
}
