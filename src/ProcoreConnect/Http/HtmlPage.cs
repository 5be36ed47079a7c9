using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace ProcoreConnect.Http;

/// <summary>
/// A page of this service for a person's browser (the OAuth callback, a connect link), or the
/// redirect out of one, with the headers that keep it to itself: a Content-Security-Policy that
/// allows nothing but the page's own inline style, the forms it names and, on a page branded with
/// a partner's logo, images from that logo's origin alone; no framing, no referrer (a connect
/// link's URL is its secret), no caching, no MIME sniffing. Plain HTML: no script, nothing that
/// needs JavaScript.
/// </summary>
public sealed class HtmlPage : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    /// <summary>The one stylesheet, inline: a file would be another function and another request.</summary>
    internal const string Style =
        "body{margin:0;background:#f3f4f6;color:#1f2328;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}"
        + "main{max-width:34rem;margin:3rem auto;padding:2rem;background:#fff;border:1px solid #d0d7de;border-radius:8px}"
        + ".brand{margin:0 0 .5rem;color:#c4541b;font-weight:600;letter-spacing:.02em}"
        + ".partner{display:flex;align-items:center;gap:.75rem;margin:0;color:#1f2328;font-size:1.125rem}"
        + ".partner img{height:2.5rem;width:auto;max-width:10rem}"
        + ".via{margin:.25rem 0 1.25rem;color:#57606a;font-size:.875rem}"
        + "h1{margin:0 0 1rem;font-size:1.5rem;line-height:1.25}"
        + "dl{display:grid;grid-template-columns:max-content 1fr;gap:.35rem 1rem;margin:1.25rem 0}"
        + "dt{color:#57606a}dd{margin:0;font-weight:600;overflow-wrap:anywhere}"
        + "dd small{color:#57606a;font-weight:400}"
        + ".notice{padding:.75rem 1rem;background:#fff8c5;border:1px solid #d4a72c;border-radius:6px}"
        + "button{padding:.75rem 1.5rem;border:0;border-radius:6px;background:#c4541b;color:#fff;font:inherit;font-weight:600;cursor:pointer}"
        + "button:focus-visible{outline:3px solid #1f6feb;outline-offset:2px}"
        + ".fine{color:#57606a;font-size:.875rem}";

    private readonly string? _html;
    private readonly string _style;
    private readonly string? _imageSource;
    private readonly Uri? _location;
    private readonly Uri? _formRedirectsTo;
    private readonly IReadOnlyList<(string Name, string? Value, CookieOptions Options)> _cookies;

    private HtmlPage(int statusCode, string? html, Uri? location, Uri? formRedirectsTo, string style = Style, string? imageSource = null,
        IReadOnlyList<(string, string?, CookieOptions)>? cookies = null)
    {
        StatusCode = statusCode;
        _html = html;
        _location = location;
        _formRedirectsTo = formRedirectsTo;
        _style = style;
        _imageSource = imageSource;
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
        // The style by its hash, so no 'unsafe-inline' and no nonce per answer; a partner's colour
        // (checked as #rrggbb) makes a stylesheet, and a hash, of its own.
        "default-src 'none'; style-src 'sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(_style))) + "'"
        + (_imageSource is null ? "" : "; img-src " + _imageSource)
        + "; form-action " + (_formRedirectsTo is null ? "'none'" : "'self' " + _formRedirectsTo.GetLeftPart(UriPartial.Authority))
        + "; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>
    /// A page: <paramref name="title"/> and <paramref name="body"/> (HTML the caller built,
    /// every value in it encoded with <see cref="Encode"/>) in the service's layout, headed by
    /// <paramref name="branding"/>'s partner when the page knows it. A page with a
    /// form names <paramref name="formRedirectsTo"/>: its forms post to the page itself (no
    /// <c>action</c>), and the answer may redirect there; browsers hold a redirect after a form
    /// post to <c>form-action</c> too. Without it, no form may post anywhere.
    /// </summary>
    public static HtmlPage Render(int statusCode, string title, string body, Uri? formRedirectsTo = null, PageBranding? branding = null)
    {
        // Checked again here: whatever reaches a stylesheet is a colour and nothing else.
        var style = branding?.Color is { } color && PageBranding.IsColor(color) ? Style + $"main{{border-top:6px solid {color}}}button{{background:{color};color:{InkOn(color)}}}" : Style;
        return new(statusCode, $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Procore Connect - {Encode(title)}</title><style>{style}</style></head>
            <body><main>
            {Header(branding)}
            {body}
            </main></body></html>
            """, null, formRedirectsTo, style, branding?.LogoSource);
    }

    /// <summary>A 303 to <paramref name="location"/> (the next page after a form post), with the same headers.</summary>
    public static HtmlPage SeeOther(Uri location) => new(StatusCodes.Status303SeeOther, null, location, null);

    /// <summary>This page, setting the cookie <paramref name="name"/> to <paramref name="value"/> (null: removing it).</summary>
    public HtmlPage WithCookie(string name, string? value, CookieOptions options) =>
        new(StatusCode, _html, _location, _formRedirectsTo, _style, _imageSource, [.. _cookies, (name, value, options)]);

    /// <summary>HTML-encodes text for an element or a quoted attribute.</summary>
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    // The partner's logo and name, and that the page is this service's; or just the service's name.
    private static string Header(PageBranding? branding) => branding is null
        ? "<p class=\"brand\">Procore Connect</p>"
        : "<p class=\"partner\" id=\"partner\">"
          + (branding.Logo is { } logo ? $"<img src=\"{Encode(logo.AbsoluteUri)}\" alt=\"\" referrerpolicy=\"no-referrer\">" : "")
          + $"<span id=\"partner-name\">{Encode(branding.Name)}</span></p><p class=\"via\">through Procore Connect</p>";

    // White or near-black text on the partner's colour, whichever contrasts more (WCAG's relative luminance).
    private static string InkOn(string color)
    {
        var luminance = 0.2126 * Channel(color, 1) + 0.7152 * Channel(color, 3) + 0.0722 * Channel(color, 5);
        const double dark = 0.0152; // #1f2328
        return (1.05 / (luminance + 0.05)) >= ((luminance + 0.05) / (dark + 0.05)) ? "#fff" : "#1f2328";

        static double Channel(string hex, int at)
        {
            var c = int.Parse(hex.AsSpan(at, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
            return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }
    }

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
