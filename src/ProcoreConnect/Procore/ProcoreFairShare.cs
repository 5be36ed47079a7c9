using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ProcoreConnect.Procore;

/// <summary>
/// Keeps one workspace's bulk sync from spending the Procore rate limit it shares with the other
/// workspaces on a client-credentials (DMSA) token. Each workspace's calls with the token are
/// counted; while Procore's last answer said more than the reserve is left anyone may call, and at
/// or below it a workspace that has used its share of the reported window waits for the reset.
/// Per instance and best effort: Procore's headers are the truth, and each instance counts only
/// the calls it sent.
/// </summary>
public sealed class ProcoreFairShare(IOptions<ProcoreFairShareOptions> options, TimeProvider time)
{
    // Procore's two windows (developer docs, "Rate Limiting"): a reset at most 10 s away is the spike
    // window's, anything further the hourly one's.
    private static readonly TimeSpan SpikeWindow = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan HourlyWindow = TimeSpan.FromHours(1);
    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);

    // By the key ProcoreRateLimits keeps the token by (a hash): the token itself stays out of memory here.
    private readonly ConcurrentDictionary<string, TokenCalls> _tokens = new(StringComparer.Ordinal);
    private long _nextSweep;

    /// <summary>
    /// Lets <paramref name="workspaceKey"/>'s call with the shared token (by its key: a hash, never the
    /// token) go, and counts it, or says why it waits; <paramref name="last"/> is what Procore last
    /// said of the token's limit. Null when it may go.
    /// </summary>
    public ProcoreFairShareRefusal? Admit(string tokenKey, string workspaceKey, ProcoreRateLimit? last)
    {
        var now = time.GetUtcNow();
        SweepNowAndThen(now);
        var token = _tokens.GetOrAdd(tokenKey, static _ => new TokenCalls());
        lock (token)
        {
            var refusal = Refusal(token, workspaceKey, last, now);
            if (refusal is null)
            {
                token.Count(workspaceKey, now);
            }

            return refusal;
        }
    }

    /// <summary>The calls kept back for workspaces below their share: <paramref name="percent"/> of <paramref name="limit"/>, rounded up.</summary>
    public static long Reserve(long limit, int percent) => ((limit * percent) + 99) / 100;

    private ProcoreFairShareRefusal? Refusal(TokenCalls token, string workspaceKey, ProcoreRateLimit? last, DateTimeOffset now)
    {
        if (last is null || last.Remaining > Reserve(last.Limit, options.Value.ReservePercent))
        {
            return null;
        }

        // Active over the last hour, not only in a 10-second window: a workspace that paused for a
        // few seconds between pages still counts, and keeps its share.
        var workspaces = token.ActiveSince(now - HourlyWindow, workspaceKey);
        if (workspaces < 2)
        {
            return null;
        }

        // Reset is Procore's clock: one ahead of ours must not start the window after now.
        var window = last.Reset - now <= SpikeWindow ? SpikeWindow : HourlyWindow;
        var start = last.Reset - window < now ? last.Reset - window : now;
        var used = token.CallsSince(workspaceKey, start, now);
        var share = Math.Max(1, last.Limit / workspaces);
        return used >= share ? new ProcoreFairShareRefusal(last.Reset + ProcoreRateLimits.ResetMargin, used, share, workspaces, last.Limit, last.Remaining) : null;
    }

    // Nothing is remembered past an hour without a call: a token is replaced every 90 minutes, and
    // its counts go with it, so memory follows the workspaces that called in the last hour.
    private void SweepNowAndThen(DateTimeOffset now)
    {
        var next = Interlocked.Read(ref _nextSweep);
        if (now.UtcTicks < next || Interlocked.CompareExchange(ref _nextSweep, (now + SweepEvery).UtcTicks, next) != next)
        {
            return;
        }

        foreach (var (key, token) in _tokens)
        {
            lock (token)
            {
                token.ForgetIdle(now - HourlyWindow);
                if (token.IsEmpty)
                {
                    _tokens.TryRemove(new KeyValuePair<string, TokenCalls>(key, token));
                }
            }
        }
    }

    /// <summary>How many tokens are remembered (for tests of the sweep).</summary>
    internal int TokensRemembered => _tokens.Count;
}
