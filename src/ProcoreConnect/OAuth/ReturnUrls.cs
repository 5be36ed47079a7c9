namespace ProcoreConnect.OAuth;

/// <summary>Checks partner return URLs against the partner's own allowed origins, so the callback is never an open redirect.</summary>
public static class ReturnUrls
{
    /// <summary>What a refused <c>returnUrl</c> is told.</summary>
    public const string Rule = "Must be an absolute http(s) URL on one of your allowed return origins (set them with PUT /api/partner/settings).";

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

        if (!allowedOrigins.Contains(Partners.ReturnOrigins.Of(candidate), StringComparer.Ordinal))
        {
            return false;
        }

        uri = candidate;
        return true;
    }
}
