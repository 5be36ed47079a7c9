using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace ProcoreConnect.Http;

/// <summary>
/// A page of this service for a person's browser (the OAuth callback, a connect link), or the
/// redirect out of one, with the headers that keep it to itself: a Content-Security-Policy that
/// allows nothing but the page's own inline style and the forms it names, no framing, no referrer
/// (a connect link's URL is its secret), no caching, no MIME sniffing. Plain HTML: no script, no
/// third-party asset, nothing that needs JavaScript.
/// </summary>
public sealed class HtmlPage : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    /// <summary>The one stylesheet, inline: a file would be another function and another request.</summary>
    internal const string Style =
        "body{margin:0;background:#f3f4f6;color:#1f2328;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}"
        + "main{max-width:34rem;margin:3rem auto;padding:2rem;background:#fff;border:1px solid #d0d7de;border-radius:8px}"
        + ".brand{margin:0 0 .5rem;color:#c4541b;font-weight:600;letter-spacing:.02em}"
        + "h1{margin:0 0 1rem;font-size:1.5rem;line-height:1.25}"
        + "dl{display:grid;grid-template-columns:max-content 1fr;gap:.35rem 1rem;margin:1.25rem 0}"
        + "dt{color:#57606a}dd{margin:0;font-weight:600;overflow-wrap:anywhere}"
        + ".notice{padding:.75rem 1rem;background:#fff8c5;border:1px solid #d4a72c;border-radius:6px}"
        + "button{padding:.75rem 1.5rem;border:0;border-radius:6px;background:#c4541b;color:#fff;font:inherit;font-weight:600;cursor:pointer}"
        + "button:focus-visible{outline:3px solid #1f6feb;outline-offset:2px}"
        + ".fine{color:#57606a;font-size:.875rem}";

    // CSP allows the inline style by its hash, so no 'unsafe-inline' and no nonce per answer.
    private static readonly string StyleSource = "'sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style))) + "'";

    private readonly string? _html;
    private readonly Uri? _location;
    private readonly Uri? _formRedirectsTo;
    private readonly IReadOnlyList<(string Name, string? Value, CookieOptions Options)> _cookies;

    private HtmlPage(int statusCode, string? html, Uri? location, Uri? formRedirectsTo, IReadOnlyList<(string, string?, CookieOptions)>? cookies = null)
    {
        StatusCode = statusCode;
        _html = html;
        _location = location;
        _formRedirectsTo = formRedirectsTo;
        _cookies = cookies ?? [];
    }

    /// <summary>The HTTP status.</summary>
    public int StatusCode { get; }

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    /// <inheritdoc />
    public string? ContentType => _html is null ? null : "text/html; charset=utf-8";

    /// <summary>The page's HTML (null for a redirect), for tests and logs of the page's state.</summary>
    public string? Html => _html;

    /// <summary>The Content-Security-Policy the page is sent with.</summary>
    public string ContentSecurityPolicy =>
        "default-src 'none'; style-src " + StyleSource
        + "; form-action " + (_formRedirectsTo is null ? "'none'" : "'self' " + _formRedirectsTo.GetLeftPart(UriPartial.Authority))
        + "; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>
    /// A page: <paramref name="title"/> and <paramref name="body"/> (HTML the caller built,
    /// every value in it encoded with <see cref="Encode"/>) in the service's layout. A page with a
    /// form names <paramref name="formRedirectsTo"/>: its forms post to the page itself (no
    /// <c>action</c>), and the answer may redirect there; browsers hold a redirect after a form
    /// post to <c>form-action</c> too. Without it, no form may post anywhere.
    /// </summary>
    public static HtmlPage Render(int statusCode, string title, string body, Uri? formRedirectsTo = null) =>
        new(statusCode, $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Procore Connect - {Encode(title)}</title><style>{Style}</style></head>
            <body><main>
            <p class="brand">Procore Connect</p>
            {body}
            </main></body></html>
            """, null, formRedirectsTo);

    /// <summary>A 303 to <paramref name="location"/> (the next page after a form post), with the same headers.</summary>
    public static HtmlPage SeeOther(Uri location) => new(StatusCodes.Status303SeeOther, null, location, null);

    /// <summary>This page, setting the cookie <paramref name="name"/> to <paramref name="value"/> (null: removing it).</summary>
    public HtmlPage WithCookie(string name, string? value, CookieOptions options) =>
        new(StatusCode, _html, _location, _formRedirectsTo, [.. _cookies, (name, value, options)]);

    /// <summary>HTML-encodes text for an element or a quoted attribute.</summary>
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        foreach (var (name, value, options) in _cookies)
        {
            if (value is null)
            {
                response.Cookies.Delete(name, options);
            }
            else
            {
                response.Cookies.Append(name, value, options);
            }
        }

        if (_location is not null)
        {
            headers.Location = _location.AbsoluteUri;
            return;
        }

        var body = Encoding.UTF8.GetBytes(_html!);
        response.ContentType = ContentType;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, httpContext.RequestAborted);
    }
}
