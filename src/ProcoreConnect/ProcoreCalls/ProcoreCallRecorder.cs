using System.Threading.Channels;

namespace ProcoreConnect.ProcoreCalls;

/// <summary>
/// Records each proxied call, off the request path, in the metrics and the call log: a call is queued in memory and written in batches,
/// so a proxied call never waits for storage. Best effort: a full queue (storage far behind) or a
/// failed write drops calls, counted in the log.
/// </summary>
public sealed class ProcoreCallRecorder(ProcoreCallLog log, CallOwners owners, ProcoreCallMetrics metrics, ILogger<ProcoreCallRecorder> logger) : BackgroundService
{
    private const int Capacity = 10_000;
    private const int BatchSize = 500;

    private readonly Channel<ProcoreCallEntity> _queue = Channel.CreateBounded<ProcoreCallEntity>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private long _dropped;

    /// <summary>Queues a call for the metrics and the log.</summary>
    public void Record(ProcoreCallEntity call)
    {
        if (!_queue.Writer.TryWrite(call))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<ProcoreCallEntity>(BatchSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < BatchSize && _queue.Reader.TryRead(out var call))
                {
                    batch.Add(call);
                }

                await WriteAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task WriteAsync(List<ProcoreCallEntity> batch, CancellationToken cancellationToken)
    {
        try
        {
            var owned = new List<ProcoreCallEntity>(batch.Count);
            foreach (var call in batch)
            {
                if (await owners.CompleteAsync(call, cancellationToken))
                {
                    metrics.Called(call);
                    owned.Add(call);
                }
            }

            await log.WriteAsync(owned, cancellationToken);
        }
#pragma warning disable CA1031 // See summary: the log is best effort and must never stop the writer.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            logger.LogWarning(ex, "{Count} Procore calls could not be written to the call log", batch.Count);
        }

        if (Interlocked.Exchange(ref _dropped, 0) is var dropped and > 0)
        {
            logger.LogWarning("{Count} Procore calls were not logged: the call log's queue was full", dropped);
        }
    }
}
