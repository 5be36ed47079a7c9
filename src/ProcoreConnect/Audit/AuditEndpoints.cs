using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using ProcoreConnect.Http;
using ProcoreConnect.Security;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Audit;

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

        if (await workspaces.FindOwnedAsync(id, user.PartnerId()!, cancellationToken) is null)
        {
            return Problems.WorkspaceNotFound(id);
        }

        return TypedResults.Ok(await audit.ReadAsync(id, 100, cancellationToken));
    }
}
