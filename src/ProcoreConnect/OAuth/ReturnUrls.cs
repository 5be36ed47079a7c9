namespace ProcoreConnect.OAuth;

/// <summary>Checks partner return URLs against the allow-list, so the callback is never an open redirect.</summary>
public static class ReturnUrls
{
    /// <summary>What a refused <c>returnUrl</c> is told.</summary>
    public const string Rule = "Must be an absolute URL on an allowed origin (OAuth:AllowedReturnOrigins).";

    /// <summary>True when <paramref name="text"/> is an absolute http(s) URL whose origin is allowed.</summary>
    public static bool TryAllow(string text, IEnumerable<string> allowedOrigins, out Uri? uri)
    {
        uri = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var candidate)
            || (candidate.Scheme != Uri.UriSchemeHttps && candidate.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(candidate.UserInfo))
        {
            return false;
        }

        var origin = candidate.GetLeftPart(UriPartial.Authority);
        if (!allowedOrigins.Any(a => string.Equals(a.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        uri = candidate;
        return true;
    }
}
