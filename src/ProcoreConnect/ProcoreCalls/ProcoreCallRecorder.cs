using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.ProcoreCalls;

/// <summary>
/// Records each proxied call, off the request path, in the metrics and the call log: calls wait in
/// memory and are written once a second (or when a list asks), each workspace's as a few chunks and
/// one counts row. Best effort and fair: a partner holds at most a quarter of the queue, so a flood
/// drops only its own calls; a dropped call, or one whose write failed, is still counted (the
/// health summary's <c>notLogged</c>) and logged as a warning once per flush.
/// </summary>
public sealed class ProcoreCallRecorder(ProcoreCallLog log, CallOwners owners, ProcoreCallMetrics metrics, TimeProvider time, ILogger<ProcoreCallRecorder> logger)
    : BackgroundService
{
    /// <summary>The most calls waiting (or being written) at once.</summary>
    public const int Capacity = 40_000;

    /// <summary>The most of them one partner may hold: up to three partners flooding at once leave a fourth's calls alone.</summary>
    public const int PartnerShare = Capacity / 4;

    /// <summary>How long calls wait to be written with those that follow them.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentQueue<ProcoreCallEntry> _queue = new();
    private readonly ConcurrentDictionary<string, StrongBox<int>> _held = new(StringComparer.Ordinal);
    private readonly Lock _dropLock = new();
    private readonly string _id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    // This recorder's counts of the current hour (and earlier ones not written yet), per workspace key; only the writer touches it.
    private readonly Dictionary<(string Key, DateTimeOffset Hour), CallCounts> _counts = [];
    private readonly HashSet<(string Key, DateTimeOffset Hour)> _unwritten = [];

    private Dictionary<(string Partner, string Workspace, string Key), CallCounts> _dropped = [];
    private int _queued;
    private long _lastCycle;
    private TaskCompletionSource _arrived = Signal();
    private TaskCompletionSource _wake = Signal();
    private TaskCompletionSource _cycle = Signal();

    /// <summary>Queues a call for the metrics and the log, unless its partner holds its share of the queue (or the queue is full).</summary>
    public void Record(ProcoreCallEntry call)
    {
        var held = _held.GetOrAdd(call.PartnerId, static _ => new StrongBox<int>());
        var holds = Interlocked.Increment(ref held.Value);
        if (holds > PartnerShare)
        {
            Interlocked.Decrement(ref held.Value);
            Drop(call);
            return;
        }

        var queued = Interlocked.Increment(ref _queued);
        if (queued > Capacity)
        {
            Interlocked.Decrement(ref _queued);
            Interlocked.Decrement(ref held.Value);
            Drop(call);
            return;
        }

        _queue.Enqueue(call);
        if (queued == 1)
        {
            Volatile.Read(ref _arrived).TrySetResult();
        }
        else if (queued == Capacity / 2 || holds == PartnerShare / 2)
        {
            Volatile.Read(ref _wake).TrySetResult();
        }
    }

    /// <summary>Writes the calls recorded so far (by this instance) before answering, so a list shows them.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _queued) == 0)
        {
            return;
        }

        var cycle = Volatile.Read(ref _cycle);
        Volatile.Read(ref _wake).TrySetResult();
        await cycle.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var arrived = Volatile.Read(ref _arrived);
                if (Volatile.Read(ref _queued) == 0 && _unwritten.Count == 0)
                {
                    await Task.WhenAny(arrived.Task, Volatile.Read(ref _wake).Task).WaitAsync(stoppingToken);
                }

                await PaceAsync(stoppingToken);
                await CycleAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            using var last = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await CycleAsync(last.Token);
        }
    }

    private static TaskCompletionSource Signal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    // One write a second (from the start of the last) however many calls arrive; a list's flush, or a
    // queue or a partner's share half full, ends the wait early.
    private async Task PaceAsync(CancellationToken stoppingToken)
    {
        var wake = Volatile.Read(ref _wake).Task;
        var wait = FlushInterval - time.GetElapsedTime(_lastCycle);
        if (wake.IsCompleted || wait <= TimeSpan.Zero)
        {
            return;
        }

        using var pace = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        await Task.WhenAny(Task.Delay(wait, time, pace.Token), wake);
        await pace.CancelAsync();
        stoppingToken.ThrowIfCancellationRequested();
    }

    private async Task CycleAsync(CancellationToken cancellationToken)
    {
        _lastCycle = time.GetTimestamp();
        var done = Interlocked.Exchange(ref _cycle, Signal());
        Interlocked.Exchange(ref _arrived, Signal());
        Interlocked.Exchange(ref _wake, Signal());
        var batch = new List<ProcoreCallEntry>();
        while (_queue.TryDequeue(out var call))
        {
            batch.Add(call);
        }

        try
        {
            await WriteAsync(batch, cancellationToken);
        }
#pragma warning disable CA1031 // See summary: the log is best effort and must never stop the writer.
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            logger.LogWarning(ex, "{Count} Procore calls could not be written to the call log", batch.Count);
        }
        finally
        {
            foreach (var partner in batch.GroupBy(c => c.PartnerId, StringComparer.Ordinal))
            {
                Interlocked.Add(ref _held[partner.Key].Value, -partner.Count());
            }

            Interlocked.Add(ref _queued, -batch.Count);
            done.TrySetResult();
        }
    }

    private void Drop(ProcoreCallEntry call)
    {
        lock (_dropLock)
        {
            var key = (call.PartnerId, call.WorkspaceId, call.WorkspaceKey);
            if (!_dropped.TryGetValue(key, out var counts))
            {
                _dropped[key] = counts = new CallCounts();
            }

            counts.Add(call.Status, notLogged: true);
        }
    }

    private async Task WriteAsync(List<ProcoreCallEntry> batch, CancellationToken cancellationToken)
    {
        Dictionary<(string Partner, string Workspace, string Key), CallCounts> dropped;
        lock (_dropLock)
        {
            dropped = _dropped;
            _dropped = [];
        }

        var hour = ProcoreCallLog.Hour(time.GetUtcNow());
        var calls = new Dictionary<string, List<ProcoreCallEntry>>(StringComparer.Ordinal);
        foreach (var call in batch)
        {
            if (await owners.FindAsync(new WorkspaceRef(call.PartnerId, call.WorkspaceId), call.WorkspaceKey, cancellationToken) is not { } key)
            {
                continue;
            }

            call.WorkspaceKey = key;
            metrics.Called(call);
            Counts(key, hour).Add(call.Status, notLogged: false);
            (calls.TryGetValue(key, out var list) ? list : calls[key] = []).Add(call);
        }

        var touched = new HashSet<(string Key, DateTimeOffset Hour)>(calls.Keys.Select(k => (k, hour)));
        foreach (var ((partner, workspace, key), counts) in dropped)
        {
            if (await owners.FindAsync(new WorkspaceRef(partner, workspace), key, cancellationToken) is { } ownerKey)
            {
                Counts(ownerKey, hour).Add(counts);
                touched.Add((ownerKey, hour));
            }
        }

        touched.UnionWith(_unwritten);
        foreach (var (key, counted) in touched)
        {
            await WriteCountsAsync(key, counted, counted == hour ? calls.GetValueOrDefault(key) ?? [] : [], cancellationToken);
        }

        foreach (var stale in _counts.Keys.Where(k => k.Hour < hour && !_unwritten.Contains(k)).ToList())
        {
            _counts.Remove(stale);
        }

        var lost = dropped.Values.Sum(c => c.Calls);
        if (lost > 0)
        {
            logger.LogWarning("{Count} Procore calls were not logged: their partners ({Partners}) held their share of the call log's queue",
                lost, string.Join(", ", dropped.Keys.Select(d => d.Partner).Distinct(StringComparer.Ordinal)));
        }
    }

    private async Task WriteCountsAsync(string key, DateTimeOffset hour, List<ProcoreCallEntry> calls, CancellationToken cancellationToken)
    {
        var counts = _counts[(key, hour)];
        try
        {
            await log.WriteAsync(key, calls, counts.ToEntity(key, ProcoreCallLog.CountsKey(hour, _id), hour), cancellationToken);
            _unwritten.Remove((key, hour));
        }
#pragma warning disable CA1031 // See summary: one workspace's failed write must not stop the others'.
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            // The calls are lost to the list but stay counted; the counts row is written again next time.
            counts.AddNotLogged(calls.Count);
            _unwritten.Add((key, hour));
            logger.LogWarning(ex, "{Count} Procore calls could not be written to the call log", calls.Count);
        }
    }

    private CallCounts Counts(string key, DateTimeOffset hour) =>
        _counts.TryGetValue((key, hour), out var counts) ? counts : _counts[(key, hour)] = new CallCounts();
}
