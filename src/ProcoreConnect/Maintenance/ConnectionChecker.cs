using Microsoft.Extensions.Options;
using ProcoreConnect.Refresh;
using ProcoreConnect.Validation;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Maintenance;

/// <summary>
/// The <c>CheckConnections</c> timer's work: validate every connected workspace, record the
/// result, mark revoked code-flow connections <c>needs_reauthorization</c>, flag client secrets
/// that expire within 30 days, and re-add any refresh index entry a crash may have lost.
/// </summary>
public sealed class ConnectionChecker(
    WorkspaceRepository workspaces,
    ConnectionValidator validator,
    RefreshDueIndex index,
    Events.EventPublisher events,
    TimeProvider time,
    IOptions<RefreshOptions> options,
    ILogger<ConnectionChecker> logger)
{
    /// <summary>How far ahead a client secret's expiry is flagged.</summary>
    public static readonly TimeSpan SecretExpiryWarning = TimeSpan.FromDays(30);

    /// <summary>Checks every workspace once.</summary>
    public async Task<CheckSummary> CheckAllAsync(CancellationToken cancellationToken)
    {
        int checkedCount = 0, failed = 0, revoked = 0, expiring = 0;
        string? continuation = null;
        do
        {
            var page = await workspaces.ListAsync(100, continuation, cancellationToken);
            continuation = page.ContinuationToken;
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.MaxConcurrency), CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(page.Items, parallel, async (workspace, ct) =>
            {
                var result = await CheckAsync(workspace, ct);
                if (result.Checked) Interlocked.Increment(ref checkedCount);
                if (result.Failed) Interlocked.Increment(ref failed);
                if (result.Revoked) Interlocked.Increment(ref revoked);
                if (result.Expiring) Interlocked.Increment(ref expiring);
            });
        }
        while (continuation is not null);

        logger.LogInformation(
            "Connection check: {Checked} checked, {Failed} failing, {Revoked} need reauthorization, {Expiring} client secrets expiring within 30 days",
            checkedCount, failed, revoked, expiring);
        return new CheckSummary(checkedCount, failed, revoked, expiring);
    }

    private async Task<(bool Checked, bool Failed, bool Revoked, bool Expiring)> CheckAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expiring = workspace.ClientSecretExpiresAt is { } expiresAt && expiresAt - now <= SecretExpiryWarning;
        if (expiring && !workspace.ClientSecretExpiringSoon)
        {
            logger.LogWarning("Client secret of workspace {WorkspaceId} expires {ExpiresAt}", workspace.Id, workspace.ClientSecretExpiresAt);
            await events.PublishAsync(workspace.OwnerPartnerId, workspace.Id, Events.EventTypes.SecretExpiring, new { expiresAt = workspace.ClientSecretExpiresAt }, cancellationToken);
        }

        if (workspace.Status != WorkspaceStatus.Connected)
        {
            if (expiring != workspace.ClientSecretExpiringSoon)
            {
                await workspaces.ChangeAsync(workspace.Id, w => w with { ClientSecretExpiringSoon = expiring }, cancellationToken);
            }

            return (false, false, false, expiring);
        }

        var report = await validator.ValidateAsync(workspace.Id, cancellationToken);
        var revoked = !report.Ok && workspace.AuthFlow == AuthFlow.AuthorizationCode
            && report.Checks.Any(c => c.HttpStatus == StatusCodes.Status401Unauthorized);
        var saved = await workspaces.ChangeAsync(workspace.Id, w => w with
        {
            LastCheckedAt = now,
            LastCheckOk = report.Ok,
            LastError = report.Ok ? null : report.Fix,
            ClientSecretExpiringSoon = expiring,
            Status = revoked && w.Status == WorkspaceStatus.Connected ? WorkspaceStatus.NeedsReauthorization : w.Status,
        }, cancellationToken);

        if (saved is { Status: WorkspaceStatus.Connected, RefreshDueAt: { } due })
        {
            await index.ScheduleAsync(saved.Id, due, cancellationToken);
        }

        var needsReauthorization = saved?.Status == WorkspaceStatus.NeedsReauthorization;
        if (revoked && needsReauthorization)
        {
            await events.PublishAsync(workspace.OwnerPartnerId, workspace.Id, Events.EventTypes.NeedsReauthorization, new { reason = "revoked" }, cancellationToken);
        }

        return (true, !report.Ok, needsReauthorization, expiring);
    }
}

/// <summary>Counts of one connection check.</summary>
public sealed record CheckSummary(int Checked, int Failing, int NeedReauthorization, int SecretsExpiring);
