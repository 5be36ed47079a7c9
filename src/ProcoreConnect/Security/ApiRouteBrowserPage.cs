using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using ProcoreConnect.Http;

namespace ProcoreConnect.Security;

/// <summary>
/// Writes the problem of a browser that opened an API route (a person following a link the docs or
/// a log showed) as a small page saying what the route is and where the reference is, instead of
/// raw JSON. Only for routes that need credentials, asked for by a request that asks for HTML and
/// carries none: API clients (they send a key, or do not ask for HTML) keep problem details, and the
/// anonymous pages (connect links, the callback) answer their own pages as before.
/// </summary>
public sealed class ApiRouteBrowserPage(IOptions<ProblemDetailsOptions> options) : IProblemDetailsWriter
{
    /// <summary>Where the page sends the person.</summary>
    public const string ReferencePath = "/api/reference/";

    /// <inheritdoc />
    public bool CanWrite(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        var endpoint = http.GetEndpoint();
        return endpoint is not null
            && endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null
            && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null
            && !http.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.Header)
            && http.Request.Headers.Authorization.Count == 0
            && AsksForHtml(http.Request);
    }

    /// <inheritdoc />
    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // The JSON writer would apply these; the page shows the same words, and the refusal log needs its reason.
        options.Value.CustomizeProblemDetails?.Invoke(context);
        var http = context.HttpContext;
        var route = http.GetEndpoint() is RouteEndpoint endpoint ? "/" + endpoint.RoutePattern.RawText?.TrimStart('/') : "this route";
        var problem = context.ProblemDetails;
        var page = HtmlPage.Render(
            problem.Status ?? http.Response.StatusCode,
            "An API route",
            $"""
            <h1>This is an API route</h1>
            <p><code>{HtmlPage.Encode(http.Request.Method)} {HtmlPage.Encode(route)}</code> is part of Procore Connect's HTTP API: programs call it with an API key, which a browser does not send.</p>
            <p class="notice">{HtmlPage.Encode(problem.Detail ?? problem.Title)}</p>
            <p>What each route does and how to call it: <a href="{ReferencePath}">the API reference</a>.</p>
            """);
        await page.ExecuteAsync(http);
    }

    private static bool AsksForHtml(HttpRequest request) =>
        MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted)
        && accepted.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) && a.Quality is not 0);
}
