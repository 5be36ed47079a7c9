using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ProcoreConnect.Procore;

/// <summary>
/// What Procore last said about a token's rate limit. Procore reports whichever of its limits
/// (hourly, or the 10-second spike limit) is nearer in <c>X-Rate-Limit-Limit/Remaining/Reset</c>;
/// once a token is over (a 429, or Remaining 0), nothing more is sent with it until Reset.
/// No limit is assumed: the headers are the only source. A token several workspaces share (a
/// client-credentials client's) is also shared fairly among them (<see cref="ProcoreFairShare"/>).
/// </summary>
public sealed class ProcoreRateLimits(TimeProvider time, ProcoreFairShare fairShare)
{
    // By a hash of the token: the token itself is a secret and stays out of this map.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _blockedUntil = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ProcoreRateLimit> _last = new(StringComparer.Ordinal);

    // Tokens Procore answered 401 that could not be replaced yet: a handful, each forgotten once read past its time.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _refused = new(StringComparer.Ordinal);

    /// <summary>
    /// How long after Procore's <c>X-Rate-Limit-Reset</c> a token over its limit is used again: Reset
    /// is whole seconds and Procore does not say how it rounds, so the window may end up to a second
    /// later; a second's wait costs less than a 429, which Integration Health counts.
    /// </summary>
    public static readonly TimeSpan ResetMargin = TimeSpan.FromSeconds(1);

    // Tokens live 90 minutes: what is remembered about them past their window is dropped now and then.
    private const int SweepAbove = 10_000;

    /// <summary>What Procore's last answer with this token said about its limit, while that window lasts.</summary>
    public ProcoreRateLimit? Last(string accessToken) => LastByKey(Key(accessToken));

    /// <summary>
    /// Whether a workspace's call with a token it shares with other workspaces may go now, by its fair
    /// share of what Procore said is left: null when it may (and it is counted), else why it waits.
    /// </summary>
    public ProcoreFairShareRefusal? AdmitShared(string accessToken, string workspaceKey)
    {
        var key = Key(accessToken);
        return fairShare.Admit(key, workspaceKey, LastByKey(key));
    }

    /// <summary>When the token may be used again, if it is over its limit now.</summary>
    public DateTimeOffset? BlockedUntil(string accessToken) => Until(_blockedUntil, accessToken);

    /// <summary>Remembers that Procore refused the token (401) and that no newer one may be fetched before <paramref name="until"/>.</summary>
    public void Refused(string accessToken, DateTimeOffset until) => _refused[Key(accessToken)] = until;

    /// <summary>Until when the token is one Procore refused and no newer one may be fetched, if it is.</summary>
    public DateTimeOffset? RefusedUntil(string accessToken) => Until(_refused, accessToken);

    /// <summary>Reads a response's rate-limit headers; returns the reset time when the token is now over its limit.</summary>
    public DateTimeOffset? Observe(string accessToken, HttpResponseMessage response)
    {
        var now = time.GetUtcNow();
        var reset = Header(response, "X-Rate-Limit-Reset") is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : (DateTimeOffset?)null;
        var remaining = Header(response, "X-Rate-Limit-Remaining");
        if (reset is { } at && remaining is { } left && Header(response, "X-Rate-Limit-Limit") is { } limit)
        {
            Remember(Key(accessToken), new ProcoreRateLimit(limit, left, at), now);
        }

        var over = (int)response.StatusCode == 429 || remaining == 0;
        if (!over)
        {
            return null;
        }

        // A 429 without a Reset header: back off for its Retry-After, else for Procore's shorter window.
        var retryAfter = response.Headers.RetryAfter?.Delta is { } delta ? now + delta : (DateTimeOffset?)null;
        var until = reset is { } r && r > now ? r + ResetMargin : retryAfter ?? now.AddSeconds(10);
        if (retryAfter > until)
        {
            until = retryAfter.Value;
        }

        _blockedUntil[Key(accessToken)] = until;
        return until;
    }

    private ProcoreRateLimit? LastByKey(string key) =>
        _last.TryGetValue(key, out var last) && last.Reset > time.GetUtcNow() ? last : null;

    // A token's time in one of the maps while it lies ahead; one past is forgotten as it is read.
    private DateTimeOffset? Until(ConcurrentDictionary<string, DateTimeOffset> times, string accessToken)
    {
        var key = Key(accessToken);
        if (!times.TryGetValue(key, out var until))
        {
            return null;
        }

        if (until > time.GetUtcNow())
        {
            return until;
        }

        times.TryRemove(new KeyValuePair<string, DateTimeOffset>(key, until));
        return null;
    }

    private void Remember(string key, ProcoreRateLimit limit, DateTimeOffset now)
    {
        _last[key] = limit;
        if (_last.Count > SweepAbove)
        {
            foreach (var (old, value) in _last)
            {
                if (value.Reset <= now)
                {
                    _last.TryRemove(new KeyValuePair<string, ProcoreRateLimit>(old, value));
                }
            }
        }
    }

    private static long? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static string Key(string accessToken) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(accessToken)));
}

