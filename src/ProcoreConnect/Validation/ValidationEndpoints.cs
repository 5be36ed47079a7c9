using Microsoft.AspNetCore.Http.HttpResults;
using ProcoreConnect.Http;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Validation;

/// <summary><c>POST /api/workspaces/{id}/validate</c>.</summary>
public static class ValidationEndpoints
{
    /// <summary>Runs the connection check and returns the diagnostics (200 even when the check fails: the report says why).</summary>
    public static async Task<Results<Ok<ValidationReport>, ValidationProblem, ProblemHttpResult>> Validate(
        string id, WorkspaceRepository workspaces, ConnectionValidator validator, CancellationToken cancellationToken)
    {
        if (!WorkspaceId.IsValid(id))
        {
            return Problems.Field("id", "Workspace ids are " + WorkspaceId.Rule);
        }

        var workspace = await workspaces.FindAsync(id, cancellationToken);
        if (workspace is null || workspace.Status == WorkspaceStatus.Deleting)
        {
            return Problems.WorkspaceNotFound(id);
        }

        return TypedResults.Ok(await validator.ValidateAsync(id, cancellationToken));
    }
}
