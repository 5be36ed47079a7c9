using Microsoft.AspNetCore.Http.HttpResults;
using ProcoreConnect.Http;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Validation;

/// <summary><c>POST /api/workspaces/{id}/validate</c>.</summary>
public static class ValidationEndpoints
{
    /// <summary>Runs the connection check and returns the diagnostics (200 even when the check fails: the report says why).</summary>
    public static async Task<Results<Ok<ValidationReport>, ValidationProblem, ProblemHttpResult>> Validate(
        string id, System.Security.Claims.ClaimsPrincipal user, WorkspaceRepository workspaces, ConnectionValidator validator, CancellationToken cancellationToken)
    {
        if (!WorkspaceId.IsValid(id))
        {
            return Problems.InvalidWorkspaceId();
        }

        var workspace = await workspaces.FindVisibleAsync(new WorkspaceRef(Security.Caller.PartnerId(user)!, id), cancellationToken);
        if (workspace is null)
        {
            return Problems.WorkspaceNotFound(id);
        }

        return TypedResults.Ok(await validator.ValidateAsync(workspace.Ref, cancellationToken));
    }
}
