using Microsoft.Extensions.Options;
using ProcoreConnect.Clients;
using ProcoreConnect.Tokens;

namespace ProcoreConnect.Refresh;

/// <summary>
/// The <c>RefreshTokens</c> timer's work: read what is due from the index and either enqueue it
/// or refresh it here with bounded concurrency. A workspace's refresh goes through
/// <see cref="TokenService"/>, a client's shared token through <see cref="ClientTokenService"/>;
/// the lease per subject keeps two instances from refreshing one token.
/// </summary>
public sealed class RefreshSweeper(
    RefreshDueIndex index,
    RefreshQueueClient queue,
    OAuthClientRepository clients,
    TokenService tokens,
    ClientTokenService clientTokens,
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
            await Parallel.ForEachAsync(due, Parallelism(cancellationToken), async (entry, ct) => await queue.EnqueueAsync(entry, ct));
            logger.LogInformation("Refresh sweep enqueued {Count} due workspaces", due.Count);
            return new SweepSummary(due.Count, due.Count, 0, 0, 0);
        }

        var results = await RefreshUnderBatchLeasesAsync(due, cancellationToken);

        // Refreshed or stale, an entry is done with; left behind (a crash, a failed batch), the next sweep finds it stale.
        await index.RemoveAllAsync(due.Where((_, i) => IsDone(results[i])), CancellationToken.None);
        var summary = new SweepSummary(
            due.Count,
            0,
            results.Count(r => r == RefreshResult.Refreshed),
            results.Count(r => r is RefreshResult.Skipped or RefreshResult.Stale),
            results.Count(r => r == RefreshResult.Failed));
        logger.LogInformation("Refresh sweep: {Due} due, {Refreshed} refreshed, {Skipped} skipped, {Failed} failed", summary.Due, summary.Refreshed, summary.Skipped, summary.Failed);
        return summary;
    }

    /// <summary>Refreshes one due entry if it is still current and due (the queue function's work).</summary>
    public async Task<RefreshResult> RefreshAsync(DueRefresh entry, CancellationToken cancellationToken)
    {
        var result = await RefreshAsync(entry, lease: null, clients.Lookup(), cancellationToken);
        if (IsDone(result))
        {
            await index.RemoveAsync(entry, CancellationToken.None);
        }

        return result == RefreshResult.Stale ? RefreshResult.Skipped : result;
    }

    /// <summary>
    /// Refreshes the due entries with at most <see cref="RefreshOptions.MaxConcurrency"/> at once,
    /// taking and releasing their leases a batch per transaction instead of two requests each.
    /// A batch is as large as the concurrency (at most 100), and two are in flight, so a lease is
    /// held for about two refreshes' time. A batch whose leases cannot be taken (storage failing)
    /// counts as failed and stays in the index for the next sweep.
    /// </summary>
    private async Task<RefreshResult[]> RefreshUnderBatchLeasesAsync(IReadOnlyList<DueRefresh> due, CancellationToken cancellationToken)
    {
        var results = new RefreshResult[due.Count];
        var concurrency = Math.Max(1, options.Value.MaxConcurrency);
        using var slots = new SemaphoreSlim(concurrency);

        // A subject's entries (a stale one beside its current one) go under one lease, in order.
        var batches = Enumerable.Range(0, due.Count)
            .GroupBy(i => due[i].Subject, StringComparer.Ordinal)
            .Chunk(Math.Min(concurrency, Storage.TableTransactions.MaxOperations));
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = BatchesInFlight, CancellationToken = cancellationToken }, async (batch, ct) =>
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

                    await slots.WaitAsync(ct);
                    try
                    {
                        foreach (var i in group)
                        {
                            results[i] = await RefreshAsync(due[i], lease, lookup, ct);
                        }
                    }
                    finally
                    {
                        slots.Release();
                    }
                }));
            }
            finally
            {
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

    // Refreshed and Stale leave the entry for the caller to remove. Without a lease, it takes its own.
    private async Task<RefreshResult> RefreshAsync(DueRefresh entry, RefreshLease? lease, ClientLookup lookup, CancellationToken cancellationToken)
    {
        try
        {
            return entry.DueAt > time.GetUtcNow() ? RefreshResult.Skipped : entry switch
            {
                DueWorkspace workspace => await tokens.RefreshDueAsync(workspace, lease, lookup, cancellationToken),
                DueClientToken token => await clientTokens.RefreshDueAsync(token, lease, lookup, cancellationToken),
                _ => RefreshResult.Stale,
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Refresh of {Subject} failed; the next sweep retries", entry.Subject);
            return RefreshResult.Failed;
        }
    }

    private ParallelOptions Parallelism(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = Math.Max(1, options.Value.MaxConcurrency), CancellationToken = cancellationToken };
}
