using System.Collections.Concurrent;

namespace ProcoreConnect.Common;

/// <summary>
/// Values computed at most once per key, however many callers ask at once; a failed computation
/// is not remembered, so the next caller tries again (storage may come back).
/// </summary>
public sealed class SingleFlightCache<TKey, TValue>(Func<TKey, Task<TValue>> compute) where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Lazy<Task<TValue>>> _values = new();

    /// <summary>The key's value, computed now if no caller has (or is computing it).</summary>
    public async Task<TValue> GetAsync(TKey key, CancellationToken cancellationToken)
    {
        var lazy = _values.GetOrAdd(key, k => new Lazy<Task<TValue>>(() => RunAsync(k)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            _values.TryRemove(new KeyValuePair<TKey, Lazy<Task<TValue>>>(key, lazy));
            throw;
        }
    }

    // Async, so a computation that throws before its first await still yields a faulted task,
    // never a Lazy that keeps the exception for good.
    private async Task<TValue> RunAsync(TKey key) => await compute(key);
}
