using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ProcoreConnect.Audit;
using ProcoreConnect.Common;
using ProcoreConnect.Http;
using ProcoreConnect.OpenApi;
using ProcoreConnect.Procore;
using ProcoreConnect.Security;
using ProcoreConnect.Workspaces;
using static ProcoreConnect.OpenApi.ResponseDoc;

namespace ProcoreConnect.WorkspaceConnections;

/// <summary><c>PATCH /api/workspaces/{id}/connection</c>: change some of a connection (tags, say) without sending it all again.</summary>
public static class ConnectionPatchEndpoints
{
    /// <summary>The media type of a JSON merge patch (RFC 7396).</summary>
    public const string MergePatch = "application/merge-patch+json";

    // A patch applies to the version it was merged with; a write that lost to another writer is
    // merged again over the new version, this many times, when the caller did not pin one with If-Match.
    private const int MergeAttempts = 3;

    /// <summary>Maps the patch, for the workspace's partner.</summary>
    public static IEndpointRouteBuilder MapConnectionPatch(this IEndpointRouteBuilder api)
    {
        api.MapWorkspaceGroup().WithTags(ApiTags.Workspaces).MapPatch("connection", PatchConnection)
            .WithName("PatchConnection")
            .WithSummary("Change part of a workspace's connection")
            .WithDescription($"A JSON merge patch (RFC 7396, `Content-Type: {MergePatch}`): fields left out keep their value; in `tags`, a value sets a tag and "
                + "`null` removes it (`\"tags\": null` removes all). The result is validated and written exactly as `PUT` would write it, with the same "
                + "consequences: another `oauthClient` or `environment`, or another `companyId` for an authorization-code workspace, makes the workspace "
                + "`pending` and revokes its old grant. `null` for a required field, "
                + "or an unknown field, is a 400 naming it; a rejected patch changes nothing.")
            .WithMetadata(RateLimited.PerPartner) // as PUT: may revoke at Procore, write and delete secrets
            .WithRequestBody(static () => RequestDoc.Json(Examples.Patch) with { ContentType = MergePatch })
            .WithIfMatch()
            .WithETag()
            .WithResponses(static () =>
            [
                Ok(StatusCodes.Status200OK, "Updated; the whole connection, as `GET` answers it.", Examples.Patched),
                WorkspaceRoutes.InvalidId,
                Invalid(Problems.Field("companyId", "Required: a connection cannot go without it, so null (remove) is refused. Leave it out to keep it, or give a new value."),
                    "A field is unknown, removed though required, or invalid once merged; `errors` names every one."),
                WorkspaceRoutes.NotFound,
                Problem(Problems.Conflict($"Workspace '{ApiExamples.WorkspaceId}' was changed by a concurrent request; read it and retry."),
                    "Other writes kept winning the race, or the workspace is being deleted."),
                Problem(UnsupportedMediaType(), $"The body was not sent as `{MergePatch}`."),
            ]);
        return api;
    }

    /// <summary>Merges the patch into the connection as it stands, then writes the result as <c>PUT</c> does, conditional on the version merged.</summary>
    public static async Task<Results<Ok<ConnectionResponse>, ValidationProblem, ProblemHttpResult>> PatchConnection(
        WorkspaceRoute route,
        VisibleWorkspace found,
        HttpRequest request,
        ClaimsPrincipal user,
        WorkspaceRepository workspaces,
        WorkspaceConnectionService connections,
        AuditLog audit,
        IOptions<ProcoreOptions> procore,
        CancellationToken cancellationToken)
    {
        if (!IsMergePatch(request.ContentType))
        {
            return UnsupportedMediaType();
        }

        var (patch, bodyProblem) = await JsonBody.ReadAsync<JsonObject>(request, cancellationToken);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        var ifMatch = Preconditions.IfMatch(request);
        for (var attempt = 1; ; attempt++)
        {
            // The group found it for the first merge (a missing one is 404 before its body is read); a retry reads it again.
            if ((attempt == 1 ? found.Value : await workspaces.FindVisibleAsync(route.Ref, cancellationToken)) is not { } current)
            {
                return Problems.WorkspaceNotFound(route.Id);
            }

            var (merged, errors) = ConnectionPatch.Apply(current, patch!);
            var (settings, invalid) = merged is null ? (null, errors) : ConnectionRequestValidator.Validate(merged);
            if (settings is null)
            {
                return Problems.Fields(invalid);
            }

            // Written only over the version merged with: what the patch left out is that version's, never a newer one's undone.
            var outcome = await connections.UpsertAsync(route.Ref, settings, ifMatch ?? current.ETag, cancellationToken);
            if (outcome.Value is { } workspace)
            {
                await audit.RecordAsync(workspace.Key, user.Actor(), "workspace.updated", string.Join(", ", patch!.Select(p => p.Key)), cancellationToken);
                request.HttpContext.Response.Headers.ETag = workspace.ETag.ToString();
                return TypedResults.Ok(ConnectionResponse.From(workspace, procore.Value));
            }

            if (outcome.Status == WriteStatus.PreconditionFailed && ifMatch is null && attempt < MergeAttempts)
            {
                continue;
            }

            return outcome.Status switch
            {
                WriteStatus.Invalid => Problems.Field(outcome.Field!, outcome.Detail!),
                WriteStatus.Refused => Problems.Refused(outcome.Field!, outcome.Detail!),
                WriteStatus.Forbidden => Problems.Forbidden(outcome.Field!, outcome.Detail!),
                WriteStatus.PreconditionFailed when ifMatch is null => Problems.Conflict($"Workspace '{route.Id}' kept changing while the patch was applied; read it and retry."),
                _ => WorkspaceEndpoints.Failure(route.Id, outcome),
            };
        }
    }

    private static bool IsMergePatch(string? contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType.Equals(MergePatch, StringComparison.OrdinalIgnoreCase);

    private static ProblemHttpResult UnsupportedMediaType() => TypedResults.Problem(
        $"A connection is patched with a JSON merge patch: send Content-Type: {MergePatch} (RFC 7396), or replace it whole with PUT and application/json.",
        statusCode: StatusCodes.Status415UnsupportedMediaType,
        title: "Unsupported media type",
        extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["Content-Type"] = [$"Must be {MergePatch}."] } });

    private static class Examples
    {
        public static readonly ConnectionPatch Patch = new() { Tags = new() { ["region"] = "west", ["crmAccount"] = null } };

        public static readonly ConnectionResponse Patched = new()
        {
            WorkspaceId = ApiExamples.WorkspaceId,
            CompanyId = 1001,
            Environment = ProcoreEnvironment.Production,
            OAuthClient = ApiExamples.ClientName,
            OAuthClientPublic = false,
            AuthFlow = Clients.AuthFlow.AuthorizationCode,
            Status = WorkspaceStatus.Connected,
            ApiBaseUrl = new Uri("https://api.procore.com"),
            Tags = new Dictionary<string, string> { ["region"] = "west" },
            CreatedAt = ApiExamples.Created,
            UpdatedAt = ApiExamples.Later,
        };
    }
}
