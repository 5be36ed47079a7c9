using ProcoreConnect.Clients;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Validation;

/// <summary>
/// Writes a connection check's result onto the workspace (when, whether it passed, the steps that
/// failed and the fix), whoever ran it: the daily timer, <c>POST …/validate</c> or a sign-in. A
/// revoked code-flow grant (Procore answered 401) marks the workspace <c>needs_reauthorization</c>,
/// and a connected workspace's health changes with the result, sending broken or recovered once per change.
/// </summary>
public sealed class ValidationRecorder(ConnectionValidator validator, WorkspaceRepository workspaces, Events.EventPublisher events, TimeProvider time)
{
    /// <summary>
    /// Checks the workspace and records the result; the report and the row written (null when the
    /// workspace is gone). Recorded even when the caller goes away meanwhile: Procore was asked,
    /// and the answer is the workspace's.
    /// </summary>
    public async Task<(ValidationReport Report, Workspace? Saved)> CheckAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        var report = await validator.ValidateAsync(workspace.Ref, cancellationToken);
        return (report, await RecordAsync(workspace, report, CancellationToken.None));
    }

    // On the creation of the workspace it checked; the row written, or null when it is gone.
    private async Task<Workspace?> RecordAsync(Workspace workspace, ValidationReport report, CancellationToken cancellationToken)
    {
        var revoked = !report.Ok && workspace.AuthFlow == AuthFlow.AuthorizationCode
            && report.Checks.Any(c => c.HttpStatus == StatusCodes.Status401Unauthorized);
        var now = time.GetUtcNow();
        Workspace? before = null;
        var saved = await workspaces.ChangeAsync(workspace.Ref, w =>
        {
            before = w;
            // Health is a connection's: a workspace nobody connected yet is not broken, only not connected.
            var connected = w.Status == WorkspaceStatus.Connected;
            return w with
            {
                LastCheckedAt = now,
                LastCheckOk = report.Ok,
                LastCheckReasons = [.. report.Checks.Where(c => !c.Ok).Select(c => new CheckReason(c.Name, c.Detail))],
                LastError = report.Ok ? null : report.Fix,
                Status = revoked && connected ? WorkspaceStatus.NeedsReauthorization : w.Status,
                Health = !connected ? w.Health
                    : revoked ? w.Health.Broken(ConnectionHealth.NeedsReauthorization, now)
                    : w.Health.Checked(report.Ok, now),
            };
        }, cancellationToken, key: workspace.Key);

        // Broken and recovered are sent once per change (the row's conditional write decides).
        if (saved is not null && ConnectionHealth.EventOf(before!.Health, saved.Health) is { } type)
        {
            await events.PublishAsync(
                workspace.PartnerId, workspace.Id, type, new { saved.CompanyId, reason = saved.Health.BrokenReason ?? before.Health.BrokenReason }, cancellationToken);
        }

        return saved;
    }
}
