using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using ProcoreConnect.Audit;
using ProcoreConnect.Http;
using ProcoreConnect.Security;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.WorkspaceConnections;

/// <summary><c>GET /api/workspaces/{id}/audit</c>: the workspace's configuration history.</summary>
public static class AuditEndpoints
{
    /// <summary>The newest 100 entries.</summary>
    public static async Task<Results<Ok<IReadOnlyList<AuditEntry>>, ValidationProblem, ProblemHttpResult>> GetAudit(
        string id, ClaimsPrincipal user, WorkspaceRepository workspaces, AuditLog audit, CancellationToken cancellationToken)
    {
        if (!WorkspaceId.IsValid(id))
        {
            return Problems.InvalidWorkspaceId();
        }

        if (await workspaces.FindVisibleAsync(new WorkspaceRef(user.PartnerId()!, id), cancellationToken) is not { } workspace)
        {
            return Problems.WorkspaceNotFound(id);
        }

        // Kept under the workspace's key: a later workspace with the same id starts a history of its own.
        return TypedResults.Ok(await audit.ReadAsync(workspace.Key, 100, cancellationToken));
    }
}
