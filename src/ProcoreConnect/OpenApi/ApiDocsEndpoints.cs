using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using ProcoreConnect.Hosting;
using Scalar.AspNetCore;

namespace ProcoreConnect.OpenApi;

/// <summary>
/// <c>GET /api/openapi.json</c> and the API reference page at <c>/api/reference/</c>: anonymous,
/// because they describe the API and act on nothing, and a browser opening the page carries no key.
/// </summary>
public static class ApiDocsEndpoints
{
    /// <summary>The function serving the OpenAPI document.</summary>
    public const string DocumentFunction = "OpenApiDocument";

    /// <summary>The function serving the reference page and its script.</summary>
    public const string ReferenceFunction = "ApiReference";

    /// <summary>
    /// What the reference page's request client fills the API key with: plainly no key (Scalar's own
    /// placeholder is a random-looking string a reader may take for a real one), and refused with a
    /// 401 that says how to send a real one.
    /// </summary>
    public const string PlaceholderKey = "pck_your_key_here";

    /// <summary>The document's route under <c>/api</c>.</summary>
    public const string DocumentRoute = "openapi.json";

    /// <summary>
    /// The reference's route under <c>/api</c>: the page at <c>reference/</c> and its two scripts
    /// beside it (<c>reference/scalar.js</c>, <c>reference/scalar.aspnetcore.js</c>) all match it,
    /// so the Functions host forwards all three through this one function.
    /// </summary>
    public const string ReferenceRoute = "reference/{documentName?}";

    /// <summary>
    /// Maps the document and the reference page: functions, since in Azure the host forwards only
    /// the routes of functions, yet left out of the document they serve (they describe the API,
    /// they are not part of it).
    /// </summary>
    public static IEndpointRouteBuilder MapApiDocs(this IEndpointRouteBuilder api)
    {
        api.MapGet(DocumentRoute, GetDocument).WithName(DocumentFunction).ExcludeFromDescription();
        api.MapReference();
        return api;
    }

    /// <summary><c>GET /api/openapi.json</c>: the OpenAPI 3.1 document.</summary>
    public static async Task<FileContentHttpResult> GetDocument(ApiDocument document, CancellationToken cancellationToken) =>
        TypedResults.Bytes(await document.GetJsonAsync(cancellationToken), "application/json; charset=utf-8");

    /// <summary>
    /// Maps Scalar's reference page (<c>/api/reference</c> redirects to <c>/api/reference/</c>) and
    /// its scripts, served from the Scalar.AspNetCore assembly. Everything Scalar would load from
    /// elsewhere is off (fonts, telemetry, the agent and the developer toolbar), so the page makes no
    /// request beyond this service, and its Content-Security-Policy (<see cref="ReferencePageHeaders"/>)
    /// allows none.
    /// </summary>
    private static void MapReference(this IEndpointRouteBuilder api)
    {
        // Every endpoint Scalar maps is served through the function, and Scalar answers the
        // conventions of all of them, so the function's name would name the scripts too; endpoint
        // names must be unique, and the scripts are reached through the page's route: the name
        // stays on the page alone.
        var reference = api.MapGroup("reference").WithName(ReferenceFunction).ExcludeFromDescription();
        reference.AddEndpointFilter(static (context, next) =>
        {
            ReferencePageHeaders.Apply(context.HttpContext);
            return next(context);
        });
        reference.MapScalarApiReference("", options => options
            .WithNonce()
            .WithTitle("Procore Connect API")
            .WithOpenApiRoutePattern("/api/" + DocumentRoute)
            .AddPreferredSecuritySchemes(ApiDocumentTransformer.ApiKeyScheme)
            .AddApiKeyAuthentication(ApiDocumentTransformer.ApiKeyScheme, key => key.WithValue(PlaceholderKey))
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp()
            .HideDeveloperTools());
        ((IEndpointConventionBuilder)reference).Finally(endpoint =>
        {
            if (endpoint is RouteEndpointBuilder { RoutePattern.RawText: var pattern } && pattern != FunctionEndpoints.HttpPrefix + ReferenceRoute)
            {
                foreach (var name in endpoint.Metadata.Where(m => m is IEndpointNameMetadata or IRouteNameMetadata).ToList())
                {
                    endpoint.Metadata.Remove(name);
                }
            }
        });
    }
}
