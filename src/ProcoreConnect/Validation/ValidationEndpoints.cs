using Microsoft.AspNetCore.Http.HttpResults;
using ProcoreConnect.OpenApi;
using ProcoreConnect.Procore;
using ProcoreConnect.Security;
using ProcoreConnect.Workspaces;
using static ProcoreConnect.OpenApi.ResponseDoc;

namespace ProcoreConnect.Validation;

/// <summary><c>POST /api/workspaces/{id}/validate</c>.</summary>
public static class ValidationEndpoints
{
    /// <summary>Maps the check, for the workspace's partner.</summary>
    public static IEndpointRouteBuilder MapValidation(this IEndpointRouteBuilder api)
    {
        api.MapWorkspaceGroup().MapPost("validate", Validate)
            .WithName("ValidateConnection")
            .WithTags(ApiTags.Workspaces)
            .WithSummary("Check the connection against Procore")
            .WithDescription("Gets a token and calls `/rest/v1.0/me` and `/rest/v1.0/companies` (for a DMSA workspace also the projects). "
                + "A failed check still answers 200: `ok` is false, each step says what it saw, and `fix` what to do in Procore. "
                + "The result is recorded on the workspace at once (`lastCheckedAt`, `lastCheckOk`, `lastCheckReasons`, `lastError`), as the daily check records it, "
                + "and needs-attention shows a failing connected workspace.")
            .WithMetadata(RateLimited.PerPartner) // Procore API calls
            .WithResponses(static () => [Ok(StatusCodes.Status200OK, "The report.", Examples.Validation), WorkspaceRoutes.InvalidId, WorkspaceRoutes.NotFound]);
        return api;
    }

    /// <summary>
    /// Runs the connection check, records its result on the workspace as the daily check does, and
    /// returns the diagnostics (200 even when the check fails: the report says why).
    /// </summary>
    public static async Task<Ok<ValidationReport>> Validate(
        VisibleWorkspace workspace, ValidationRecorder checks, CancellationToken cancellationToken) =>
        TypedResults.Ok((await checks.CheckAsync(workspace.Value, cancellationToken)).Report);

    private static class Examples
    {
        public static readonly ValidationReport Validation = new()
        {
            WorkspaceId = ApiExamples.WorkspaceId,
            Ok = true,
            CompanyVisible = true,
            Checks =
            [
                new ValidationCheck("token", true, null, "Access token valid until 2026-11-23 18:12:28Z."),
                new ValidationCheck("me", true, 200, "Procore identified the token's user."),
                new ValidationCheck("companies", true, 200, "1 company visible."),
                new ValidationCheck("company", true, null, "Company 1001 is visible."),
            ],
            VisibleCompanies = [new ProcoreCompany(1001, "Acme Builders")],
            CheckedAt = ApiExamples.Later,
        };
    }
}
