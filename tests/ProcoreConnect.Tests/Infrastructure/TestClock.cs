using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace ProcoreConnect.Tests.Infrastructure;

/// <summary>
/// A fake clock that also tells the test when the code under test starts a timer: a delay of a
/// known length is the sign that it has reached a wait (a lease poll, a back-off), so the test can
/// act then instead of sleeping and hoping it got there.
/// </summary>
public sealed class TestClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly ConcurrentDictionary<TaskCompletionSource, TimeSpan> _awaited = new();

    /// <summary>Completes when the next timer due in <paramref name="dueTime"/> is created (ask before the action that creates it).</summary>
    public Task NextTimer(TimeSpan dueTime)
    {
        var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _awaited[created] = dueTime;
        return created.Task;
    }

    /// <summary>
    /// Moves the clock <paramref name="step"/> at a time, each time the code under test has started
    /// its next timer of that length, until <paramref name="pending"/> completes.
    /// </summary>
    public async Task AdvanceUntilAsync(Task pending, TimeSpan step, string what)
    {
        var deadline = DateTime.UtcNow + Wait.Patience;
        while (!pending.IsCompleted)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Advanced the clock {step.TotalMilliseconds} ms at a time for {Wait.Patience.TotalSeconds:F0} s and {what} did not complete.");
            }

            var next = NextTimer(step);
            Advance(step);
            await Wait.ForAsync(Task.WhenAny(pending, next), what + " (or its next timer)");
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        foreach (var (created, awaited) in _awaited)
        {
            if (awaited == dueTime && _awaited.TryRemove(created, out _))
            {
                created.TrySetResult();
            }
        }

        return timer;
    }
}
