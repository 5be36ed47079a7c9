using ProcoreConnect.Audit;
using ProcoreConnect.Common;
using ProcoreConnect.Events;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.WorkspaceConnections;

/// <summary>
/// Sends <c>workspace.deleted</c> for a workspace just deleted, carrying its audit trail: a deleted
/// workspace's history lives on in its event (kept for the events' retention, and in the partner's
/// own store once delivered), not behind an API route of a workspace that no longer exists.
/// </summary>
public sealed class DeletionNotice(AuditLog audit, EventPublisher events)
{
    /// <summary>
    /// The newest audit entries an event carries: with 16 tags of 256 characters, 50 entries keep
    /// the body well within Table Storage's 32K characters for one property.
    /// </summary>
    public const int HistoryEntries = 50;

    /// <summary>Publishes the event for <paramref name="deleted"/> (never fails the delete: see <see cref="EventPublisher"/>).</summary>
    public async Task PublishAsync(Workspace deleted, CancellationToken cancellationToken)
    {
        var history = await audit.ReadAsync(deleted.Key, HistoryEntries + 1, cancellationToken);
        await events.PublishAsync(deleted.PartnerId, deleted.Id, EventTypes.WorkspaceDeleted, new
        {
            deleted.CompanyId,
            environment = WireName.Of(deleted.Environment),
            oauthClient = deleted.Client.Name,
            deleted.Tags,
            deleted.CreatedAt,
            history = history.Take(HistoryEntries).Select(h => new { h.Actor, h.Action, fields = h.Details, h.At }),
            historyTruncated = history.Count > HistoryEntries,
        }, cancellationToken);
    }
}
