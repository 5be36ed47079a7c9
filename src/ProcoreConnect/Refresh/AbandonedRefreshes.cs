using Microsoft.Extensions.Options;
using ProcoreConnect.Clients;
using ProcoreConnect.Events;
using ProcoreConnect.Telemetry;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Refresh;

/// <summary>
/// Records the due refreshes of a message the queue gave up on (it reached the poison queue after
/// <see cref="RefreshOptions.MaxDequeueCount"/> failed tries): each workspace or client token is
/// marked <see cref="ConnectionHealth.RefreshFailing"/>, so it shows in needs-attention and its
/// owner gets <c>connection.broken</c> once, and each is counted. The index entries stay: the next
/// sweep tries them again, and the first success clears the mark.
/// </summary>
public sealed class AbandonedRefreshes(
    WorkspaceRepository workspaces,
    OAuthClientRepository clients,
    EventPublisher events,
    ConnectTelemetry telemetry,
    TimeProvider time,
    IOptions<RefreshOptions> options,
    ILogger<AbandonedRefreshes> logger)
{
    /// <summary>Marks and counts every entry.</summary>
    public async Task RecordAsync(IReadOnlyList<DueRefresh> entries, CancellationToken cancellationToken)
    {
        foreach (var entry in entries)
        {
            switch (entry)
            {
                case DueWorkspace workspace:
                    await MarkAsync(workspace, cancellationToken);
                    break;
                case DueClientToken token:
                    await MarkAsync(token, cancellationToken);
                    break;
            }

            telemetry.RefreshAbandoned(entry is DueClientToken ? "client_credentials" : "authorization_code");
            logger.LogWarning("The refresh queue gave up on {Subject} (due {DueAt:u}) after {Tries} failed tries; the next sweep tries again", entry.Subject, entry.DueAt, options.Value.MaxDequeueCount);
        }
    }

    private async Task MarkAsync(DueWorkspace entry, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        Workspace? before = null;
        var after = await workspaces.ChangeAsync(entry.Workspace, current =>
        {
            before = current;
            var health = current.Health.Broken(ConnectionHealth.RefreshFailing, now);
            return health == current.Health ? null : current with
            {
                Health = health,
                LastError = $"The refresh queue gave up on this workspace's refresh due {entry.DueAt:u} after {options.Value.MaxDequeueCount} failed tries; the next sweep tries again.",
                UpdatedAt = now,
            };
        }, cancellationToken, key: entry.WorkspaceKey);
        if (after is not null && ConnectionHealth.EventOf(before!.Health, after.Health) is { } type)
        {
            await events.PublishAsync(after.PartnerId, after.Id, type, new { after.CompanyId, reason = after.Health.BrokenReason }, cancellationToken);
        }
    }

    private async Task MarkAsync(DueClientToken entry, CancellationToken cancellationToken)
    {
        var (reference, environment) = (entry.Token.Client, entry.Token.Environment);
        var now = time.GetUtcNow();
        ConnectionHealth? before = null;
        var after = await clients.ChangeAsync(reference, current =>
        {
            before = current.TokenHealthIn(environment);
            var health = before.Broken(ConnectionHealth.RefreshFailing, now);
            return health == before ? null : current.WithTokenHealth(environment, health);
        }, cancellationToken);
        if (after is not null && !reference.IsPublic && ConnectionHealth.EventOf(before!, after.TokenHealthIn(environment)) is { } type)
        {
            await events.PublishAsync(reference.Owner, null, type, new
            {
                oauthClient = reference.Name,
                environment = Common.WireName.Of(environment),
                reason = ConnectionHealth.RefreshFailing,
            }, cancellationToken);
        }
    }
}
