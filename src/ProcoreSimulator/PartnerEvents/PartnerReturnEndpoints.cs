using System.Net;

namespace ProcoreSimulator.PartnerEvents;

/// <summary>
/// A stand-in for the partner page a person's browser returns to after signing in (a connect's
/// <c>returnUrl</c>), so a local run's return URL lands somewhere: it shows what the service sent
/// back. Not part of Procore.
/// </summary>
public static class PartnerReturnEndpoints
{
    /// <summary>The page's path on the simulator.</summary>
    public const string Path = "/_simulator/partner-return";

    /// <summary>Maps <c>GET /_simulator/partner-return</c>.</summary>
    public static IEndpointRouteBuilder MapPartnerReturn(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, (HttpRequest request) =>
        {
            var items = string.Concat(request.Query.Select(q =>
                $"<dt>{WebUtility.HtmlEncode(q.Key)}</dt><dd>{WebUtility.HtmlEncode(q.Value.ToString())}</dd>"));
            return Results.Content(
                $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Back at the partner</title></head><body>"
                + "<h1>Back at the partner's page</h1><p>The Procore simulator stands in for the partner's own page here. Procore Connect sent:</p>"
                + $"<dl>{items}</dl></body></html>",
                "text/html; charset=utf-8");
        });
        return app;
    }
}
