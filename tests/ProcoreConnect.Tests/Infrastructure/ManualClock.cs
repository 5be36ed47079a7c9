namespace ProcoreConnect.Tests.Infrastructure;

/// <summary>
/// A clock whose "now" the test sets, while delays and timers stay real (short retry back-offs
/// and lease polls keep working, unlike with a frozen fake clock).
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
