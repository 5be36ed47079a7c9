using Microsoft.AspNetCore.Http.HttpResults;
using ProcoreConnect.Audit;
using ProcoreConnect.OpenApi;
using ProcoreConnect.Workspaces;
using static ProcoreConnect.OpenApi.ResponseDoc;

namespace ProcoreConnect.WorkspaceConnections;

/// <summary><c>GET /api/workspaces/{id}/audit</c>: the workspace's configuration history.</summary>
public static class AuditEndpoints
{
    /// <summary>Maps the history, for the workspace's partner.</summary>
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder api)
    {
        api.MapWorkspaceGroup().MapGet("audit", GetAudit)
            .WithName("GetAudit")
            .WithTags(ApiTags.Workspaces)
            .WithSummary("The workspace's configuration history")
            .WithDescription("Who changed what and when, newest 100 entries; field names only, never values.")
            .WithResponses(static () => [Ok(StatusCodes.Status200OK, "The entries.", Examples.Audit), WorkspaceRoutes.InvalidId, WorkspaceRoutes.NotFound]);
        return api;
    }

    /// <summary>The newest 100 entries.</summary>
    public static async Task<Ok<IReadOnlyList<AuditEntry>>> GetAudit(VisibleWorkspace workspace, AuditLog audit, CancellationToken cancellationToken) =>
        // Kept under the workspace's key: a later workspace with the same id starts a history of its own.
        TypedResults.Ok(await audit.ReadAsync(workspace.Value.Key, 100, cancellationToken));

    private static class Examples
    {
        public static readonly IReadOnlyList<AuditEntry> Audit =
        [
            new AuditEntry("acme-hq-5f0c2b9d3e7a1846", "partner:my-platform", "workspace.created", "companyId, environment, oauthClient", ApiExamples.Created),
        ];
    }
}
