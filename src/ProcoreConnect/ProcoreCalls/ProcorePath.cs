using System.Runtime.InteropServices;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing.Patterns;

namespace ProcoreConnect.ProcoreCalls;

/// <summary>
/// Reads the Procore path of a proxied call from the request as it arrived and decides whether it
/// may be sent: only <c>rest/…</c> and <c>vapid/…</c>, with nothing that a server on the way could
/// read as another path (dot segments, encoded slashes or dots, backslashes, control characters).
/// </summary>
/// <param name="Path">The path under the API base, still percent-encoded as it arrived (e.g. <c>rest/v1.0/me</c>).</param>
/// <param name="Query">The query as it arrived, with its <c>?</c>, or empty.</param>
public sealed record ProcorePath(string Path, string Query)
{
    private static readonly string[] Roots = ["rest", "vapid"];

    // Rails (Rack 2) separates query items with ';' as well as '&'.
    private static readonly char[] QuerySeparators = ['&', ';'];

    private const int MaxLoggedName = 40;

    /// <summary>The target's path before <see cref="Path"/>, as the client sent it (e.g. <c>/api/workspaces/acme-hq/procore/</c>): the route's place for Procore paths.</summary>
    public string RoutePrefix { get; init; } = "/";

    /// <summary>
    /// The path of <paramref name="request"/> in the route's <c>{**path}</c>, read from the request
    /// target as the client sent it (the server has already decoded and normalised
    /// <see cref="HttpRequest.Path"/>, which would hide a trick), or why it is refused.
    /// </summary>
    public static (ProcorePath? Path, string? Refusal) Read(HttpRequest request)
    {
        var target = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target))
        {
            // A server without the raw target (the in-process test server): the decoded path, encoded again.
            target = request.PathBase.Add(request.Path).ToUriComponent() + request.QueryString.ToUriComponent();
        }

        if (target[0] != '/')
        {
            // An absolute-form or asterisk-form target: nothing a partner's client sends for this route.
            return (null, "The request target must be a path.");
        }

        var queryAt = target.IndexOf('?', StringComparison.Ordinal);
        var rawPath = queryAt < 0 ? target : target[..queryAt];
        var query = queryAt < 0 ? "" : target[queryAt..];
        // By the route's shape, not by searching for "/procore/": a workspace may be named procore.
        var at = SegmentsBeforePath(request) is { } before ? StartOfSegment(rawPath, before) : -1;
        if (at < 0)
        {
            return (null, "The path must continue after /procore/.");
        }

        var path = rawPath[at..];
        if ((PathRefusal(path) ?? QueryRefusal(query)) is { } refusal)
        {
            return (null, refusal);
        }

        // What routing matched must be what is sent: a difference means the server rewrote the path.
        return Uri.UnescapeDataString(path) == (request.RouteValues["path"] as string ?? "")
            ? (new ProcorePath(path, query) { RoutePrefix = rawPath[..at] }, null)
            : (null, "The path was rewritten on its way here; send it without dot segments or encoded characters.");
    }

    // How many segments the route (with the path base) has before its catch-all: the Procore path's place in the raw target.
    private static int? SegmentsBeforePath(HttpRequest request)
    {
        if (request.HttpContext.GetEndpoint() is not RouteEndpoint endpoint)
        {
            return null;
        }

        var segments = endpoint.RoutePattern.PathSegments;
        var catchAll = segments.ToList().FindIndex(s => s.Parts is [RoutePatternParameterPart { IsCatchAll: true }]);
        var pathBase = request.PathBase.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries).Length ?? 0;
        return catchAll < 0 ? null : pathBase + catchAll;
    }

    // Where segment number <paramref name="index"/> (0 is the first) of an absolute path starts, or -1.
    private static int StartOfSegment(string rawPath, int index)
    {
        var at = 0;
        for (var i = 0; i < index && at >= 0; i++)
        {
            at = rawPath.IndexOf('/', at + 1);
        }

        return at < 0 ? -1 : at + 1;
    }

    /// <summary>The destination: always the environment's API host, with this path and query under its base.</summary>
    public Uri Under(Uri apiBase)
    {
        var destination = new Uri(apiBase.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/" + Path + Query, UriKind.Absolute);
        if (!string.Equals(destination.GetLeftPart(UriPartial.Authority), apiBase.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("A Procore call was about to leave its environment's API host.");
        }

        return destination;
    }

    /// <summary>
    /// The path and the query's names, without the query's values: what the call log keeps. An item
    /// without '=' is left out whole: it is a value on its own (<c>?eyJhbGciOi…</c>), not a name.
    /// </summary>
    public string Redacted()
    {
        var names = Query.Length <= 1
            ? []
            : Query[1..].Split(QuerySeparators, StringSplitOptions.RemoveEmptyEntries).Select(NameOf).OfType<string>().Select(name => name + "=").ToList();
        return names.Count == 0 ? Path : Path + "?" + string.Join('&', names);
    }

    /// <summary>
    /// The name of a query item as the call log may keep it, or null when what stands where a name
    /// goes may be a value: no '=' (<c>?{token}</c>), a value starting with '=' (a base64 token's
    /// padding, <c>?{token}==</c>), or a name that is long or encoded, which parameter names never are.
    /// </summary>
    private static string? NameOf(string item)
    {
        var at = item.IndexOf('=', StringComparison.Ordinal);
        if (at <= 0 || at > MaxLoggedName || (at + 1 < item.Length && item[at + 1] == '='))
        {
            return null;
        }

        var name = item[..at];
        return name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '[' or ']') ? name : null;
    }

    private static string? PathRefusal(string path)
    {
        if (path.Length == 0)
        {
            return "Name a Procore API path, e.g. /procore/rest/v1.0/me.";
        }

        // The bytes the path stands for, so that what it means once decoded is checked, not only how it is written.
        var decoded = new List<byte>(path.Length);
        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c == '%')
            {
                if (!TryHex(path, i, out var b))
                {
                    return "The path has a malformed percent-encoding.";
                }

                // Encoded separators and dots are how a path is made to mean another one further on.
                if (b is (byte)'/' or (byte)'\\' or (byte)'.' or (byte)'%' or < 0x20 or 0x7F)
                {
                    return "The path may not encode '/', '\\', '.', '%' or control characters.";
                }

                decoded.Add(b);
                i += 2;
            }
            else if (!IsPathChar(c))
            {
                return $"The path may not contain '{(c < 0x20 || c == 0x7F ? "control character" : c.ToString())}'.";
            }
            else
            {
                decoded.Add((byte)c);
            }
        }

        // An overlong form (%c0%ae is '.' to a lenient decoder) or a stray byte is read differently by each server.
        if (!Utf8.IsValid(CollectionsMarshal.AsSpan(decoded)))
        {
            return "The path's percent-encoded bytes must be valid UTF-8 (no overlong forms or stray bytes).";
        }

        var segments = path.Split('/');
        // A ';' (or '%3b') starts a path parameter that servers such as Tomcat drop before resolving '..;' as '..'.
        if (segments.Any(s => s.Length == 0 || Uri.UnescapeDataString(s).Split(';')[0] is "." or ".."))
        {
            return "The path may not contain empty, '.' or '..' segments (a ';' parameter after the dots included).";
        }

        return Roots.Contains(segments[0], StringComparer.Ordinal)
            ? null
            : "Only Procore API paths are forwarded: rest/… or vapid/….";
    }

    private static string? QueryRefusal(string query)
    {
        for (var i = 1; i < query.Length; i++)
        {
            var c = query[i];
            if (c < 0x21 || c > 0x7E || c == '#' || c == '\\')
            {
                return "The query may only hold printable ASCII, percent-encoded otherwise.";
            }

            if (c == '%' && (!TryHex(query, i, out var b) || b < 0x20 || b == 0x7F))
            {
                return "The query has a malformed percent-encoding or an encoded control character.";
            }
        }

        return null;
    }

    private static bool TryHex(string text, int at, out byte value)
    {
        value = 0;
        return at + 2 < text.Length
            && byte.TryParse(text.AsSpan(at + 1, 2), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out value);
    }

    // RFC 3986 pchar (unreserved, sub-delims, ':' and '@') and '/'; '%' is read above.
    private static bool IsPathChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '-' or '.' or '_' or '~' or '!' or '$' or '&' or '\'' or '(' or ')' or '*' or '+' or ',' or ';' or '=' or ':' or '@' or '/';
}
