using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ProcoreConnect.Security;

/// <summary>
/// The permits of <see cref="RateLimitOptions"/>: a fixed window per partition, per instance, from
/// which a permit can be given back. ASP.NET's fixed-window limiter cannot return one, and a
/// request refused as invalid should cost its caller nothing.
/// </summary>
public sealed class PermitWindows(IOptions<RateLimitOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private long _nextSweepTicks;
    private int _sweeping;

    /// <summary>How many partitions are remembered now.</summary>
    internal int Partitions => _windows.Count;

    /// <summary>A permit, or null and how long until the partition's window ends.</summary>
    public (Permit? Permit, TimeSpan RetryAfter) TryAcquire(string partition)
    {
        var limits = options.Value;
        var now = time.GetUtcNow();
        SweepEndedWindows(now, limits.Window);
        while (true)
        {
            var window = _windows.GetOrAdd(partition, static _ => new Window());
            lock (window)
            {
                if (window.Removed)
                {
                    // Swept between the lookup and the lock: take the partition's new window.
                    continue;
                }

                if (now >= window.Ends)
                {
                    window.Ends = now + limits.Window;
                    window.Count = 0;
                }

                if (window.Count >= limits.PermitLimit)
                {
                    return (null, window.Ends - now);
                }

                window.Count++;
                return (new Permit(window, window.Ends), TimeSpan.Zero);
            }
        }
    }

    /// <summary>Gives a permit back to its window, unless that window has ended since.</summary>
    public static void Return(Permit permit)
    {
        ArgumentNullException.ThrowIfNull(permit);
        lock (permit.Window)
        {
            if (permit.Window.Ends == permit.WindowEnds && permit.Window.Count > 0)
            {
                permit.Window.Count--;
            }
        }
    }

    // Partitions are callers' to invent (every link token, valid or not, is one): a window that has
    // ended is forgotten, at most one window's length after it ends, so memory holds only the
    // partitions of about the last two windows.
    private void SweepEndedWindows(DateTimeOffset now, TimeSpan length)
    {
        if (now.UtcTicks < Interlocked.Read(ref _nextSweepTicks) || Interlocked.Exchange(ref _sweeping, 1) == 1)
        {
            return;
        }

        try
        {
            foreach (var (partition, window) in _windows)
            {
                lock (window)
                {
                    if (now >= window.Ends)
                    {
                        window.Removed = true;
                        _windows.TryRemove(new KeyValuePair<string, Window>(partition, window));
                    }
                }
            }

            Interlocked.Exchange(ref _nextSweepTicks, (now + length).UtcTicks);
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    /// <summary>A permit taken from a window; it goes back only to the same window.</summary>
    public sealed class Permit
    {
        internal Permit(Window window, DateTimeOffset windowEnds)
        {
            Window = window;
            WindowEnds = windowEnds;
        }

        internal Window Window { get; }

        internal DateTimeOffset WindowEnds { get; }
    }

    internal sealed class Window
    {
        internal DateTimeOffset Ends { get; set; }

        internal int Count { get; set; }

        internal bool Removed { get; set; }
    }
}
