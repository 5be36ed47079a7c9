using Scalar.AspNetCore;

namespace ProcoreConnect.OpenApi;

/// <summary>
/// The security headers of the API reference page and its scripts: a Content-Security-Policy as
/// strict as Scalar's page allows, no MIME sniffing, no framing and no referrer.
/// </summary>
public static class ReferencePageHeaders
{
    /// <summary>Sends the headers with the response, once Scalar has chosen the page's nonce.</summary>
    public static void Apply(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = Policy(http.Items[ScalarOptions.NonceHttpContextItemKey] as string);
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            return Task.CompletedTask;
        }, context);
    }

    /// <summary>
    /// The policy for a page whose scripts carry <paramref name="nonce"/> (Scalar's fresh one per
    /// response). Scripts: the service's own files and the page's one inline script, never inline
    /// code otherwise nor eval. Styles are the one allowance: Scalar's script injects its
    /// stylesheets and style attributes at run time without the nonce (and their hashes would
    /// change with every Scalar release); with nothing but the service reachable (connect and
    /// images 'self', fonts and everything else 'none'), injected CSS could send nothing away.
    /// </summary>
    public static string Policy(string? nonce) => string.Join("; ",
        "default-src 'none'",
        "script-src 'self'" + (nonce is null ? "" : $" 'nonce-{nonce}'"),
        "style-src 'self' 'unsafe-inline'",
        "connect-src 'self'",
        "img-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'");
}
