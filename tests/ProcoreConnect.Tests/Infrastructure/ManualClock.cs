namespace ProcoreConnect.Tests.Infrastructure;

/// <summary>
/// A clock whose "now" the test sets, while delays and timers still end by themselves (short retry
/// back-offs and lease polls keep working, unlike with a frozen fake clock). They end after a
/// hundredth of their length in real time: "now" does not move while they run either way, so only
/// the pacing changes, and a run of a thousand refreshes does not spend a minute in back-offs.
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private const int Speedup = 100;

    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        base.CreateTimer(callback, state, Faster(dueTime), Faster(period));

    private static TimeSpan Faster(TimeSpan span) => span == Timeout.InfiniteTimeSpan ? span : span / Speedup;
}
