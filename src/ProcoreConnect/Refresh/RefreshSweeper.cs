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
        var summary = new SweepSummary(
            due.Count, 0, results.Count(r => r == RefreshResult.Refreshed), results.Count(r => r == RefreshResult.Skipped), results.Count(r => r == RefreshResult.Failed));
        logger.LogInformation("Refresh sweep: {Due} due, {Refreshed} refreshed, {Skipped} skipped, {Failed} failed", summary.Due, summary.Refreshed, summary.Skipped, summary.Failed);
        return summary;
    }

    /// <summary>Refreshes one workspace if it is still due (the queue function's work).</summary>
    public async Task<RefreshResult> RefreshAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var workspace = await workspaces.FindAsync(workspaceId, cancellationToken);
        return workspace?.RefreshDueAt is { } due
            ? await RefreshAsync(new DueRefresh(workspaceId, due), cancellationToken)
            : RefreshResult.Skipped;
    }

    private async Task<RefreshResult> RefreshAsync(DueRefresh entry, CancellationToken cancellationToken)
    {
        try
        {
            if (entry.DueAt > time.GetUtcNow())
            {
                return RefreshResult.Skipped;
            }

            var result = await tokens.RefreshDueAsync(entry, cancellationToken);
            if (result == RefreshResult.Stale)
            {
                // Gone, not refreshable, or an entry the row no longer points at (the row's own entry stays).
                await index.RemoveAsync(entry, cancellationToken);
                return RefreshResult.Skipped;
            }

            return result;
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
