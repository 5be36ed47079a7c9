namespace ProcoreConnect.Partners;

/// <summary>What a partner may list as an allowed return origin, in the one form it is compared in.</summary>
public static class ReturnOrigins
{
    /// <summary>The most origins one partner lists.</summary>
    public const int MaxCount = 20;

    /// <summary>What a refused origin is told.</summary>
    public const string Rule = "An origin: https://host[:port] (http only for 127.0.0.1, [::1] or localhost), without path, query, fragment or credentials.";

    /// <summary>The origin in canonical form (lower-case, default port left out), or null when it is not one.</summary>
    public static string? Normalize(string? text)
    {
        if (text is not { Length: > 0 and <= 300 } || !Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || !string.IsNullOrEmpty(uri.UserInfo) || text.Contains('?') || text.Contains('#')
            || text.TrimEnd('/').IndexOf('/', uri.Scheme.Length + 3) >= 0)
        {
            return null;
        }

        var secure = uri.Scheme == Uri.UriSchemeHttps;
        var loopbackHttp = uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback;
        return secure || loopbackHttp ? uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant() : null;
    }

    /// <summary>The origin of an absolute URL, in the form <see cref="Normalize"/> gives.</summary>
    public static string Of(Uri url) => url.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
}
