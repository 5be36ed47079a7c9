using Azure;
using ProcoreConnect.Common;
using ProcoreConnect.Http;
using ProcoreConnect.Secrets;
using ProcoreConnect.Storage;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.WorkspaceConnections;

/// <summary>
/// Deletes workspaces: the delete is marked on the row before anything is removed (so the purge
/// timer can finish one cut short), and a code-flow grant is revoked at Procore before its tokens
/// are purged. Tags leave the tag index before the row.
/// </summary>
public sealed class WorkspaceDeletion(
    WorkspaceRepository workspaces,
    ISecretStore secrets,
    WorkspaceKeyedData keyed,
    WorkspaceTagIndex tagIndex,
    TokenCache tokens,
    GrantCleanup grants,
    TimeProvider time,
    ILogger<WorkspaceDeletion> logger)
{
    /// <summary>Deletes the workspace, revoking its grant at Procore, and every secret it owns.</summary>
    public async Task<WriteOutcome<Workspace>> DeleteAsync(WorkspaceRef workspace, ETag? ifMatch, CancellationToken cancellationToken)
    {
        var existing = await workspaces.FindAsync(workspace, cancellationToken);
        if (existing is null)
        {
            return new(WriteStatus.NotFound);
        }

        if (!Preconditions.Matches(ifMatch, existing.ETag))
        {
            return new(WriteStatus.PreconditionFailed, Detail: "If-Match does not match the workspace's current ETag.");
        }

        if (existing.Status != WorkspaceStatus.Deleting)
        {
            try
            {
                // The mark makes the workspace invisible at once and lets the purge timer finish a cut-short delete.
                existing = await workspaces.UpdateAsync(
                    existing with { Status = WorkspaceStatus.Deleting, UpdatedAt = time.GetUtcNow() }, cancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
                return new(WriteStatus.Conflict, Detail: $"Workspace '{workspace.Id}' changed while it was being deleted; retry.");
            }
        }

        await PurgeAsync(existing, cancellationToken);
        return new(WriteStatus.Deleted, existing);
    }

    /// <summary>
    /// Removes a workspace already marked <c>deleting</c>: revokes its grant at Procore (a failure is
    /// logged and does not stop the delete), then its secrets, its Procore hook, deliveries and known
    /// projects, its Procore call log, then its row. Its audit history stays, under its key.
    /// </summary>
    public async Task PurgeAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        await grants.RevokeAsync(workspace, null, cancellationToken);
        await secrets.DeleteAsync(SecretNames.Tokens(workspace.SecretPrefix), cancellationToken);
        await keyed.PurgeAsync(workspace.Key, cancellationToken);
        await tagIndex.RemoveAsync(workspace.Ref, workspace.Tags, cancellationToken);
        await workspaces.DeleteAsync(workspace, cancellationToken);
        tokens.Remove(workspace.Ref);
        logger.LogInformation("Workspace {WorkspaceId} deleted with its secrets", workspace.Id);
    }
}
