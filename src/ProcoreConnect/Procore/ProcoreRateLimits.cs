using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ProcoreConnect.Procore;

/// <summary>
/// What Procore last said about a token's rate limit. Procore reports whichever of its limits
/// (hourly, or the 10-second spike limit) is nearer in <c>X-Rate-Limit-Limit/Remaining/Reset</c>;
/// once a token is over (a 429, or Remaining 0), nothing more is sent with it until Reset.
/// No limit is assumed: the headers are the only source.
/// </summary>
public sealed class ProcoreRateLimits(TimeProvider time)
{
    // By a hash of the token: the token itself is a secret and stays out of this map.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _blockedUntil = new(StringComparer.Ordinal);

    /// <summary>When the token may be used again, if it is over its limit now.</summary>
    public DateTimeOffset? BlockedUntil(string accessToken)
    {
        var key = Key(accessToken);
        if (!_blockedUntil.TryGetValue(key, out var until))
        {
            return null;
        }

        if (until > time.GetUtcNow())
        {
            return until;
        }

        _blockedUntil.TryRemove(new KeyValuePair<string, DateTimeOffset>(key, until));
        return null;
    }

    /// <summary>Reads a response's rate-limit headers; returns the reset time when the token is now over its limit.</summary>
    public DateTimeOffset? Observe(string accessToken, HttpResponseMessage response)
    {
        var reset = Header(response, "X-Rate-Limit-Reset") is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : (DateTimeOffset?)null;
        var over = (int)response.StatusCode == 429 || Header(response, "X-Rate-Limit-Remaining") == 0;
        if (!over)
        {
            return null;
        }

        // A 429 without a Reset header: back off for the length of Procore's shorter window.
        var until = reset is { } r && r > time.GetUtcNow() ? r : time.GetUtcNow().AddSeconds(10);
        _blockedUntil[Key(accessToken)] = until;
        return until;
    }

    private static long? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static string Key(string accessToken) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(accessToken)));
}
