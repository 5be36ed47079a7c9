namespace ProcoreConnect.Tests.Infrastructure;

/// <summary>
/// A fixture shared by the whole run, started by the first test that needs it. A failed start is
/// not remembered: the next test starts it again, so one slow start on a loaded machine fails one
/// test class instead of the run. After <see cref="MaxStarts"/> failures the last one is answered
/// at once, so a fixture that cannot start does not cost every class a full start-up wait.
/// </summary>
public sealed class StartedOnce<T>(Func<T> start)
    where T : class
{
    /// <summary>How many failed starts a run tries before it gives up on the fixture.</summary>
    public const int MaxStarts = 3;

    private readonly Lock _lock = new();
    private T? _value;
    private int _failures;
    private Exception? _lastFailure;

    /// <summary>The started fixture; the caller waits while another caller is starting it.</summary>
    public T Value
    {
        get
        {
            if (Volatile.Read(ref _value) is { } started)
            {
                return started;
            }

            lock (_lock)
            {
                if (_value is not null)
                {
                    return _value;
                }

                if (_failures >= MaxStarts)
                {
                    throw new InvalidOperationException($"{typeof(T).Name} failed to start {_failures} times in this run; the last failure follows.", _lastFailure);
                }

                try
                {
                    Volatile.Write(ref _value, start());
                    return _value!;
                }
                catch (Exception ex)
                {
                    _failures++;
                    _lastFailure = ex;
                    throw;
                }
            }
        }
    }
}
