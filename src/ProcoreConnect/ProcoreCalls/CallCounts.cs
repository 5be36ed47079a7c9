namespace ProcoreConnect.ProcoreCalls;

/// <summary>Counts of calls by what the health summary shows; safe to add to from many threads.</summary>
public sealed class CallCounts
{
    private int _calls, _s401, _s403, _s404, _s429, _notLogged;

    /// <summary>Calls counted.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Calls missing from the log.</summary>
    public int NotLogged => Volatile.Read(ref _notLogged);

    /// <summary>Counts one call with <paramref name="status"/>, and whether the log misses it.</summary>
    public void Add(int status, bool notLogged)
    {
        Interlocked.Increment(ref _calls);
        _ = status switch
        {
            401 => Interlocked.Increment(ref _s401),
            403 => Interlocked.Increment(ref _s403),
            404 => Interlocked.Increment(ref _s404),
            429 => Interlocked.Increment(ref _s429),
            _ => 0,
        };
        if (notLogged)
        {
            Interlocked.Increment(ref _notLogged);
        }
    }

    /// <summary>Adds another's counts to these.</summary>
    public void Add(CallCounts other)
    {
        Interlocked.Add(ref _calls, other._calls);
        Interlocked.Add(ref _s401, other._s401);
        Interlocked.Add(ref _s403, other._s403);
        Interlocked.Add(ref _s404, other._s404);
        Interlocked.Add(ref _s429, other._s429);
        Interlocked.Add(ref _notLogged, other._notLogged);
    }

    /// <summary>Counts <paramref name="calls"/> more calls the log misses (a failed write).</summary>
    public void AddNotLogged(int calls) => Interlocked.Add(ref _notLogged, calls);

    /// <summary>The counts as a row of <paramref name="partition"/>.</summary>
    public CallCountsEntity ToEntity(string partition, string rowKey, DateTimeOffset hour) => new()
    {
        PartitionKey = partition, RowKey = rowKey, At = hour, Calls = Calls, Status401 = _s401, Status403 = _s403, Status404 = _s404,
        Status429 = _s429, NotLogged = NotLogged,
    };

    /// <summary>Adds a stored row's counts to these.</summary>
    public void Add(CallCountsEntity row)
    {
        _calls += row.Calls;
        _s401 += row.Status401;
        _s403 += row.Status403;
        _s404 += row.Status404;
        _s429 += row.Status429;
        _notLogged += row.NotLogged;
    }

    /// <summary>The counts by the statuses Integration Health counts.</summary>
    public IReadOnlyDictionary<int, int> ByStatus() => new Dictionary<int, int> { [401] = _s401, [403] = _s403, [404] = _s404, [429] = _s429 };
}
