using Microsoft.Extensions.Options;
using ProcoreConnect.Clients;
using ProcoreConnect.Storage;
using ProcoreConnect.Tokens;

namespace ProcoreConnect.Refresh;

/// <summary>
/// The <c>RefreshTokens</c> timer's work: read what is due from the index and either enqueue it
/// or refresh it here with bounded concurrency, each entry through <see cref="DueEntryRefresher"/>;
/// the lease per subject keeps two instances from refreshing one token.
/// </summary>
public sealed class RefreshSweeper(
    RefreshDueIndex index,
    RefreshQueueClient queue,
    OAuthClientRepository clients,
    DueEntryRefresher refresher,
    RefreshLeaseStore leases,
    TimeProvider time,
    IOptions<RefreshOptions> options,
    ILogger<RefreshSweeper> logger)
{
    // Two lease batches in flight: the next one's leases are taken while the last refreshes of the one before finish.
    private const int BatchesInFlight = 2;

    private readonly string _owner = "sweep-" + Guid.NewGuid().ToString("N");

    /// <summary>One sweep.</summary>
    public async Task<SweepSummary> SweepAsync(CancellationToken cancellationToken)
    {
        var due = await index.DueAsync(time.GetUtcNow(), options.Value.MaxPerSweep, cancellationToken);
        if (options.Value.UseQueue)
        {
            // A message per batch of entries, not per entry: the queue function then takes the
            // batch's leases and writes its index entries a transaction each, as the timer does.
            var messages = Batches(due, Math.Clamp(options.Value.EntriesPerMessage, 1, TableTransactions.MaxOperations)).ToList();
            await Parallel.ForEachAsync(messages, Parallelism(cancellationToken), async (batch, ct) => await queue.EnqueueAsync(batch, ct));
            logger.LogInformation("Refresh sweep enqueued {Count} due entries in {Messages} messages", due.Count, messages.Count);
            return new SweepSummary(due.Count, due.Count, 0, 0, 0);
        }

        var results = await RefreshUnderBatchLeasesAsync(due, slots: null, batchesInFlight: BatchesInFlight, cancellationToken);
        var summary = Summarise(due.Count, results);
        logger.LogInformation("Refresh sweep: {Due} due, {Refreshed} refreshed, {Skipped} skipped, {Failed} failed", summary.Due, summary.Refreshed, summary.Skipped, summary.Failed);
        return summary;
    }

    /// <summary>
    /// Refreshes the entries of one queue message (the queue function's work): the batch's leases
    /// in one transaction, at most <see cref="RefreshOptions.MaxConcurrency"/> refreshes at once
    /// (or as many as <paramref name="slots"/> allows, when the caller shares one limit among
    /// messages), and the batch's index writes in one transaction each.
    /// </summary>
    public async Task<SweepSummary> RefreshAsync(IReadOnlyList<DueRefresh> entries, SemaphoreSlim? slots, CancellationToken cancellationToken) =>
        Summarise(entries.Count, await RefreshUnderBatchLeasesAsync(entries, slots, batchesInFlight: 1, cancellationToken));

    /// <summary>Entries grouped by subject (a subject's entries stay in one batch, in order), at most <paramref name="size"/> subjects per batch.</summary>
    private static IEnumerable<DueRefresh[]> Batches(IReadOnlyList<DueRefresh> due, int size) =>
        due.GroupBy(e => e.Subject, StringComparer.Ordinal).Chunk(size).Select(groups => groups.SelectMany(g => g).ToArray());

    private static SweepSummary Summarise(int due, RefreshResult[] results) => new(
        due,
        0,
        results.Count(r => r == RefreshResult.Refreshed),
        results.Count(r => r is RefreshResult.Skipped or RefreshResult.Stale),
        results.Count(r => r == RefreshResult.Failed));

    /// <summary>
    /// Refreshes the due entries with at most <see cref="RefreshOptions.MaxConcurrency"/> at once,
    /// taking and releasing their leases a batch per transaction instead of two requests each.
    /// A batch is as large as the concurrency (at most 100), and (in the sweep) two are in flight,
    /// so a lease is held for about two refreshes' time. A batch whose leases cannot be taken
    /// (storage failing) counts as failed and stays in the index for the next sweep. When a batch's
    /// refreshes are done, its new index entries are written and the entries it is done with
    /// (refreshed or stale) removed, a transaction each; left behind (a crash, a failed write), the
    /// next sweep finds them stale.
    /// </summary>
    private async Task<RefreshResult[]> RefreshUnderBatchLeasesAsync(
        IReadOnlyList<DueRefresh> due, SemaphoreSlim? slots, int batchesInFlight, CancellationToken cancellationToken)
    {
        var results = new RefreshResult[due.Count];
        var concurrency = Math.Max(1, options.Value.MaxConcurrency);
        using var ownSlots = slots is null ? new SemaphoreSlim(concurrency) : null;
        var limit = slots ?? ownSlots!;

        // A subject's entries (a stale one beside its current one) go under one lease, in order.
        var batches = Enumerable.Range(0, due.Count)
            .GroupBy(i => due[i].Subject, StringComparer.Ordinal)
            .Chunk(Math.Min(concurrency, TableTransactions.MaxOperations));
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = batchesInFlight, CancellationToken = cancellationToken }, async (batch, ct) =>
        {
            IReadOnlyDictionary<string, RefreshLease> held;
            try
            {
                held = await leases.TryAcquireAllAsync([.. batch.Select(g => g.Key)], _owner, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Taking the leases of {Count} due entries failed; the next sweep retries them", batch.Length);
                Mark(batch, RefreshResult.Failed);
                return;
            }

            // Each client is read once per batch: workspaces share a few clients.
            var lookup = clients.Lookup();
            var written = new DueIndexBatch();
            try
            {
                await Task.WhenAll(batch.Select(async group =>
                {
                    if (!held.TryGetValue(group.Key, out var lease))
                    {
                        // Someone else is refreshing it.
                        Mark([group], RefreshResult.Skipped);
                        return;
                    }

                    await limit.WaitAsync(ct);
                    try
                    {
                        foreach (var i in group)
                        {
                            results[i] = await refresher.RefreshAsync(due[i], lease, lookup, written, ct);
                        }
                    }
                    finally
                    {
                        limit.Release();
                    }
                }));
            }
            finally
            {
                // Still under the leases: no other instance refreshes these subjects meanwhile.
                await WriteIndexAsync(written, batch.SelectMany(g => g).Where(i => IsDone(results[i])).Select(i => due[i]));
                await ReleaseAsync([.. held.Values]);
            }
        });
        return results;

        void Mark(IEnumerable<IGrouping<string, int>> groups, RefreshResult result)
        {
            foreach (var i in groups.SelectMany(g => g))
            {
                results[i] = result;
            }
        }
    }

    private async Task WriteIndexAsync(DueIndexBatch written, IEnumerable<DueRefresh> retired)
    {
        try
        {
            await index.WriteAsync(written, retired, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The rows are written; their old entries stay, and the next sweep puts the new ones back.
            logger.LogWarning(ex, "Writing {Count} refresh index entries failed; the next sweep repairs them", written.Scheduled.Count);
        }
    }

    private async Task ReleaseAsync(IReadOnlyCollection<RefreshLease> held)
    {
        try
        {
            await leases.ReleaseAllAsync(held, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The refreshes are done and persisted; unreleased leases only expire.
            logger.LogWarning(ex, "Releasing {Count} refresh leases failed; they expire on their own", held.Count);
        }
    }

    private static bool IsDone(RefreshResult result) => result is RefreshResult.Refreshed or RefreshResult.Stale;

    private ParallelOptions Parallelism(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = Math.Max(1, options.Value.MaxConcurrency), CancellationToken = cancellationToken };
}
