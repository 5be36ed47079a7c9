using Microsoft.Extensions.Options;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Refresh;

/// <summary>
/// The <c>RefreshTokens</c> timer's work: read what is due from the index and either enqueue it
/// or refresh it here with bounded concurrency. Each refresh goes through <see cref="TokenService"/>,
/// so the per-workspace lease keeps two instances from refreshing one token.
/// </summary>
public sealed class RefreshSweeper(
    RefreshDueIndex index,
    RefreshQueueClient queue,
    WorkspaceRepository workspaces,
    TokenService tokens,
    TimeProvider time,
    IOptions<RefreshOptions> options,
    ILogger<RefreshSweeper> logger)
{
    /// <summary>One sweep.</summary>
    public async Task<SweepSummary> SweepAsync(CancellationToken cancellationToken)
    {
        var due = await index.DueAsync(time.GetUtcNow(), options.Value.MaxPerSweep, cancellationToken);
        if (options.Value.UseQueue)
        {
            await Parallel.ForEachAsync(due, Parallelism(cancellationToken), async (entry, ct) => await queue.EnqueueAsync(entry.WorkspaceId, ct));
            logger.LogInformation("Refresh sweep enqueued {Count} due workspaces", due.Count);
            return new SweepSummary(due.Count, due.Count, 0, 0, 0);
        }

        var results = new RefreshResult[due.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, due.Count), Parallelism(cancellationToken), async (i, ct) =>
            results[i] = await RefreshAsync(due[i], ct));

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

    /// <summary>Refreshes one workspace if it is still due (the queue function's work).</summary>
    public async Task<RefreshResult> RefreshAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var workspace = await workspaces.FindAsync(workspaceId, cancellationToken);
        if (workspace?.RefreshDueAt is not { } due)
        {
            return RefreshResult.Skipped;
        }

        var entry = new DueRefresh(workspaceId, due);
        var result = await RefreshAsync(entry, cancellationToken);
        if (IsDone(result))
        {
            await index.RemoveAsync(entry, CancellationToken.None);
        }

        return result == RefreshResult.Stale ? RefreshResult.Skipped : result;
    }

    private static bool IsDone(RefreshResult result) => result is RefreshResult.Refreshed or RefreshResult.Stale;

    // Refreshed and Stale leave the entry for the caller to remove.
    private async Task<RefreshResult> RefreshAsync(DueRefresh entry, CancellationToken cancellationToken)
    {
        try
        {
            return entry.DueAt > time.GetUtcNow() ? RefreshResult.Skipped : await tokens.RefreshDueAsync(entry, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Refresh of workspace {WorkspaceId} failed; the next sweep retries", entry.WorkspaceId);
            return RefreshResult.Failed;
        }
    }

    private ParallelOptions Parallelism(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = Math.Max(1, options.Value.MaxConcurrency), CancellationToken = cancellationToken };
}
