namespace ProcoreConnect.Tests.Infrastructure;

/// <summary>
/// Waits on a condition the test can observe, checked every few milliseconds, with a deadline
/// generous enough for a machine busy with a build, and a failure that names what was awaited.
/// </summary>
public static class Wait
{
    /// <summary>The deadline when a test gives none.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    /// <summary>Returns once <paramref name="condition"/> holds; throws <see cref="TimeoutException"/> naming <paramref name="what"/> otherwise.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? Patience);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {(within ?? Patience).TotalSeconds:F0} s for {what}.");
            }

            await Task.Delay(Interval);
        }
    }

    /// <inheritdoc cref="UntilAsync(Func{Task{bool}}, string, TimeSpan?)"/>
    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? within = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, within);

    /// <summary>Awaits <paramref name="task"/>, failing with a message naming <paramref name="what"/> when it takes longer than the deadline.</summary>
    public static async Task ForAsync(Task task, string what, TimeSpan? within = null)
    {
        try
        {
            await task.WaitAsync(within ?? Patience);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"Waited {(within ?? Patience).TotalSeconds:F0} s for {what}.", e);
        }
    }

    /// <inheritdoc cref="ForAsync(Task, string, TimeSpan?)"/>
    public static async Task<T> ForAsync<T>(Task<T> task, string what, TimeSpan? within = null)
    {
        await ForAsync((Task)task, what, within);
        return await task;
    }
}
