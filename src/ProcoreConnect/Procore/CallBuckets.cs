namespace ProcoreConnect.Procore;

/// <summary>
/// Calls counted in fixed-width time buckets over a bounded span, so that "how many since then"
/// needs neither a list of timestamps nor memory that grows with the calls.
/// </summary>
internal sealed class CallBuckets(TimeSpan width, int buckets)
{
    private readonly long[] _index = new long[buckets];
    private readonly long[] _calls = new long[buckets];

    /// <summary>How far back <see cref="Since"/> can see.</summary>
    public TimeSpan Span { get; } = width * (buckets - 1);

    /// <summary>Counts one call at <paramref name="now"/>.</summary>
    public void Add(DateTimeOffset now)
    {
        var index = now.UtcTicks / width.Ticks;
        var slot = (int)(index % buckets);
        if (_index[slot] != index)
        {
            _index[slot] = index;
            _calls[slot] = 0;
        }

        _calls[slot]++;
    }

    /// <summary>The calls from the bucket holding <paramref name="from"/> to the one holding <paramref name="now"/>.</summary>
    public long Since(DateTimeOffset from, DateTimeOffset now)
    {
        var first = from.UtcTicks / width.Ticks;
        var last = now.UtcTicks / width.Ticks;
        long total = 0;
        for (var slot = 0; slot < buckets; slot++)
        {
            if (_index[slot] >= first && _index[slot] <= last)
            {
                total += _calls[slot];
            }
        }

        return total;
    }
}
