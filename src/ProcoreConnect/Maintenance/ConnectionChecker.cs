using Microsoft.Extensions.Options;
using ProcoreConnect.Clients;
using ProcoreConnect.Refresh;
using ProcoreConnect.Tokens;
using ProcoreConnect.Validation;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Maintenance;

/// <summary>
/// The <c>CheckConnections</c> timer's work: validate every connected workspace, record the
/// result, mark revoked code-flow connections <c>needs_reauthorization</c>, find and restore any
/// refresh index entry that is missing (a workspace or shared token without one would never be
/// swept), and flag OAuth client secrets that expire within 30 days.
/// </summary>
public sealed class ConnectionChecker(
    WorkspaceRepository workspaces,
    DueEntryRepair repair,
    ClientChecker clients,
    ValidationRecorder checks,
    IOptions<RefreshOptions> options,
    ILogger<ConnectionChecker> logger)
{
    /// <summary>Checks every workspace and every client once.</summary>
    public async Task<CheckSummary> CheckAllAsync(CancellationToken cancellationToken)
    {
        int checkedCount = 0, failed = 0, revoked = 0, restored = 0;
        string? continuation = null;
        do
        {
            var page = await workspaces.ListAllAsync(100, continuation, cancellationToken);
            continuation = page.ContinuationToken;
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.MaxConcurrency), CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(page.Items.Where(w => w.Status == WorkspaceStatus.Connected), parallel, async (workspace, ct) =>
            {
                var result = await CheckAsync(workspace, ct);
                Interlocked.Increment(ref checkedCount);
                if (result.Failed) Interlocked.Increment(ref failed);
                if (result.Revoked) Interlocked.Increment(ref revoked);
                if (result.Restored) Interlocked.Increment(ref restored);
            });
        }
        while (continuation is not null);

        var (expiring, restoredShared) = await clients.CheckAllAsync(cancellationToken);
        restored += restoredShared;
        if (restored > 0)
        {
            logger.LogWarning("Connection check restored {Restored} missing refresh index entries", restored);
        }

        logger.LogInformation(
            "Connection check: {Checked} checked, {Failed} failing, {Revoked} need reauthorization, {Expiring} client secrets expiring within 30 days, {Restored} index entries restored",
            checkedCount, failed, revoked, expiring, restored);
        return new CheckSummary(checkedCount, failed, revoked, expiring, restored);
    }

    private async Task<(bool Failed, bool Revoked, bool Restored)> CheckAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        var (report, saved) = await checks.CheckAsync(workspace, cancellationToken);

        var restored = saved is { Status: WorkspaceStatus.Connected, AuthFlow: AuthFlow.AuthorizationCode, RefreshDueAt: { } due }
            && await repair.RestoreAsync(new DueWorkspace(saved.Ref, saved.Key, due), cancellationToken);

        return (!report.Ok, saved?.Status == WorkspaceStatus.NeedsReauthorization, restored);
    }
}

/// <summary>Counts of one connection check.</summary>
public sealed record CheckSummary(int Checked, int Failing, int NeedReauthorization, int SecretsExpiring, int IndexEntriesRestored);
