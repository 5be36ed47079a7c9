namespace ProcoreConnect.Procore;

/// <summary>One workspace's calls with one token, at the resolution each of Procore's two windows needs.</summary>
internal sealed class WorkspaceCalls
{
    // A second's resolution over the spike window, a minute's over the hourly one: 72 counters in all.
    private readonly CallBuckets _spike = new(TimeSpan.FromSeconds(1), 11);
    private readonly CallBuckets _hour = new(TimeSpan.FromMinutes(1), 61);

    /// <summary>When the workspace last sent a call with the token.</summary>
    public DateTimeOffset LastCall { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>Counts one call sent at <paramref name="now"/>.</summary>
    public void Count(DateTimeOffset now)
    {
        _spike.Add(now);
        _hour.Add(now);
        LastCall = now;
    }

    /// <summary>The calls sent since <paramref name="from"/> (at most an hour back).</summary>
    public long Since(DateTimeOffset from, DateTimeOffset now) =>
        now - from <= _spike.Span ? _spike.Since(from, now) : _hour.Since(from, now);
}
