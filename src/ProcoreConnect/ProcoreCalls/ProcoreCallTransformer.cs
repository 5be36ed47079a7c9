using System.Collections.Frozen;
using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Net.Http.Headers;
using ProcoreConnect.Procore;
using Yarp.ReverseProxy.Forwarder;

namespace ProcoreConnect.ProcoreCalls;

/// <summary>
/// Shapes one proxied call for YARP's forwarder: sends only the partner's content and negotiation
/// headers (an allow-list, so the partner's credentials, cookies, hop-by-hop headers and whatever a
/// front end added never reach Procore), adds the workspace's token and company, fixes the
/// destination, and returns Procore's answer without <c>Set-Cookie</c> or hop-by-hop headers, its
/// redirects within the API pointed back at the proxy.
/// </summary>
internal sealed class ProcoreCallTransformer(
    Uri destination, Uri apiBase, string routePrefix, string accessToken, long companyId, bool holdUnauthorized, long? maxAnswerBytes, ProcoreRateLimits limits)
    : HttpTransformer
{
    /// <summary>The partner's request headers that reach Procore; every other one is dropped.</summary>
    public static readonly FrozenSet<string> Forwarded = new[]
    {
        HeaderNames.Accept, HeaderNames.AcceptEncoding, HeaderNames.AcceptLanguage, HeaderNames.CacheControl,
        HeaderNames.ContentType, HeaderNames.ContentLength, HeaderNames.ContentEncoding, HeaderNames.ContentDisposition,
        HeaderNames.ContentMD5, HeaderNames.ContentRange, HeaderNames.ContentLanguage,
        HeaderNames.IfMatch, HeaderNames.IfNoneMatch, HeaderNames.IfModifiedSince, HeaderNames.IfUnmodifiedSince, HeaderNames.IfRange,
        HeaderNames.Range, "Prefer", HeaderNames.UserAgent, "Idempotency-Key",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> ContentHeaders = new[]
    {
        HeaderNames.ContentType, HeaderNames.ContentLength, HeaderNames.ContentEncoding, HeaderNames.ContentDisposition,
        HeaderNames.ContentMD5, HeaderNames.ContentRange, HeaderNames.ContentLanguage,
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The first header that would be sent on whose value is not printable ASCII, or null: the
    /// server takes such a value, the outgoing client refuses it, and the call would fail as if
    /// Procore were unreachable although nothing was sent.
    /// </summary>
    public static string? Unsendable(IHeaderDictionary headers) =>
        headers.Where(h => Forwarded.Contains(h.Key)).FirstOrDefault(h => h.Value.Any(v => v is not null && v.Any(c => c is > '~' or (< ' ' and not '\t')))).Key;

    /// <summary>Whether Procore answered 401 and the answer was held back for a retry (nothing was written).</summary>
    public bool HeldUnauthorized { get; private set; }

    /// <summary>The length Procore declared for an answer over the cap, which was not read (nothing was written).</summary>
    public long? WithheldLength { get; private set; }

    /// <summary>Procore's request id (<c>X-Request-Id</c>), when it sent one.</summary>
    public string? RequestId { get; private set; }

    /// <summary>What Procore's answer said was left of the token's rate limit.</summary>
    public long? RateLimitRemaining { get; private set; }

    /// <inheritdoc />
    public override ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        foreach (var (name, value) in httpContext.Request.Headers)
        {
            if (!Forwarded.Contains(name))
            {
                continue;
            }

            if (ContentHeaders.Contains(name))
            {
                // A request without a body has no content to carry them.
                proxyRequest.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)value);
            }
            else
            {
                proxyRequest.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)value);
            }
        }

        proxyRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        proxyRequest.Headers.TryAddWithoutValidation("Procore-Company-Id", companyId.ToString(CultureInfo.InvariantCulture));
        proxyRequest.RequestUri = destination;
        proxyRequest.Headers.Host = null;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (proxyResponse is null)
        {
            return await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        }

        limits.Observe(accessToken, proxyResponse);
        RequestId = proxyResponse.Headers.TryGetValues("X-Request-Id", out var ids) ? ids.FirstOrDefault() : null;
        RateLimitRemaining = proxyResponse.Headers.TryGetValues("X-Rate-Limit-Remaining", out var left)
            && long.TryParse(left.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var remaining) ? remaining : null;
        if (holdUnauthorized && proxyResponse.StatusCode == System.Net.HttpStatusCode.Unauthorized)
        {
            HeldUnauthorized = true;
            return false;
        }

        if (proxyResponse.Content.Headers.ContentLength is { } length && length > maxAnswerBytes)
        {
            WithheldLength = length;
            return false;
        }

        await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        var headers = httpContext.Response.Headers;
        headers.Remove(HeaderNames.SetCookie);
        headers.Remove("Set-Cookie2");
        // Headers the Connection header names are hop-by-hop too (RFC 9110, 7.6.1).
        if (proxyResponse.Headers.TryGetValues(HeaderNames.Connection, out var connection))
        {
            foreach (var name in connection.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
            {
                headers.Remove(name);
            }
        }

        RewriteLocation(httpContext.Response, proxyResponse);
        return true;
    }

    // A redirect within the API leads back through the proxy, so that a client following it sends
    // its API key to the service again and not to Procore's host; any other (a file store's
    // pre-signed URL) is the partner's to follow, without its credentials.
    private void RewriteLocation(HttpResponse response, HttpResponseMessage proxyResponse)
    {
        if (proxyResponse.Headers.Location is not { } location)
        {
            return;
        }

        var target = location.IsAbsoluteUri ? location : new Uri(destination, location);
        var basePath = apiBase.AbsolutePath.TrimEnd('/') + "/";
        var pathAndQuery = target.GetComponents(UriComponents.PathAndQuery | UriComponents.Fragment, UriFormat.UriEscaped);
        if (string.Equals(target.GetLeftPart(UriPartial.Authority), apiBase.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase)
            && pathAndQuery.StartsWith(basePath, StringComparison.Ordinal))
        {
            response.Headers.Location = routePrefix + pathAndQuery[basePath.Length..];
        }
    }
}
