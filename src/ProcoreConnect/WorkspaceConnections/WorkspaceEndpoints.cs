using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ProcoreConnect.Audit;
using ProcoreConnect.Clients;
using ProcoreConnect.Common;
using ProcoreConnect.Http;
using ProcoreConnect.OpenApi;
using ProcoreConnect.Procore;
using ProcoreConnect.Security;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;
using static ProcoreConnect.OpenApi.ResponseDoc;

namespace ProcoreConnect.WorkspaceConnections;

/// <summary>The connector configuration API partner platforms call: <c>/api/workspaces</c> and a workspace's connection.</summary>
public static class WorkspaceEndpoints
{
    /// <summary>Maps the list, needs-attention and a workspace's connection, for partners.</summary>
    public static IEndpointRouteBuilder MapWorkspaces(this IEndpointRouteBuilder api)
    {
        // A group without a prefix of its own: an endpoint at its group's prefix gets a route ending
        // in '/' ("workspaces/"), and the function's route is read from it.
        var workspaces = api.MapGroup("").RequireAuthorization(Roles.Partner).WithTags(ApiTags.Workspaces);
        workspaces.MapGet("workspaces", ListWorkspaces)
            .WithName("ListWorkspaces")
            .WithSummary("List the caller's workspaces")
            .WithDescription("`companyId` lists only the workspaces in that Procore company; `tag.{key}=value` (up to 4, each key once) only those carrying every such tag. "
                + "A filtered page may hold fewer than `pageSize` items, even none, and still have a `continuationToken`.")
            .WithQueryFamily(TagFilters)
            .WithResponses(static () =>
            [
                Ok(StatusCodes.Status200OK, "A page of workspaces; pass `continuationToken` back for the next (null on the last page).", Examples.Workspaces),
                ApiParameters.InvalidPaging,
                Invalid(Problems.Field("companyId", CompanyIdRule), "`companyId` is not a positive integer."),
                Invalid(Problems.Field("tag.crmAccount", $"Give each tag filter once, with a value of 1 to {WorkspaceTags.MaxValueLength} characters."), "A `tag.` filter is malformed, repeated or one too many."),
            ]);
        workspaces.MapGet("workspaces/needs-attention", ListNeedsAttention)
            .WithName("ListNeedsAttention")
            .WithSummary("The caller's workspaces and OAuth clients that need a person")
            .WithDescription("Each reason has a `code`, a `detail`, the `action` that fixes it and, when known, `since`. Healthy workspaces are left out.")
            .WithResponses(static () => [Ok(StatusCodes.Status200OK, "Everything to act on, in one answer.", Examples.NeedsAttention)]);

        var connection = api.MapWorkspaceGroup().WithTags(ApiTags.Workspaces);
        connection.MapGet("connection", GetConnection)
            .WithName("GetConnection")
            .WithSummary("Read a workspace's connection")
            .WithETag()
            .WithResponses(static () => [Ok(StatusCodes.Status200OK, "The connection (never a secret).", Examples.Connection), WorkspaceRoutes.InvalidId, WorkspaceRoutes.NotFound]);
        connection.MapPut("connection", PutConnection)
            .WithName("PutConnection")
            .WithSummary("Create or update a workspace's connection")
            .WithDescription("Choosing another OAuth client or environment, or another company for an authorization-code workspace, makes held tokens "
                + "useless: the workspace goes back to `pending`, its old grant is revoked at Procore, and the next sign-in must see the new company. "
                + "Another company for a client-credentials workspace is checked as a new workspace's would be. Any of these clears the last "
                + "connection check. Unknown fields are refused, and a rejected request changes nothing.")
            .WithMetadata(RateLimited.PerPartner) // revoke at Procore, write and delete secrets
            .WithRequestBody(static () => RequestDoc.Json(Examples.ConnectionRequest, "companyId", "environment", "oauthClient"))
            .WithIfMatch()
            .WithETag()
            .WithResponses(static () =>
            [
                Ok(StatusCodes.Status201Created, "Created, `pending` until connected.", Examples.PendingConnection),
                Ok(StatusCodes.Status200OK, "Updated.", Examples.Connection),
                WorkspaceRoutes.InvalidId,
                Invalid(Problems.Fields(ConnectionRequestValidator.Validate(Examples.ConnectionRequest with { CompanyId = 0, Environment = "staging" }).Errors),
                    "A field is missing or invalid; `errors` names every one."),
                Invalid(Problems.Field("authFlow", ConnectionRequest.MovedFields["authFlow"]), "A field that moved to OAuth clients (`authFlow`, `clientId`, `clientSecret`, …)."),
                Problem(Problems.Conflict($"Workspace '{ApiExamples.WorkspaceId}' was changed by a concurrent request; read it and retry."),
                    "Another write won the race, or the workspace is being deleted."),
                Problem(Problems.Forbidden("companyId", $"OAuth client 'shared-dmsa' is a public client, and the operator has not granted you company 1002 on it: "
                    + $"ask the operator for a grant (PUT /api/oauth-clients/shared-dmsa/grants/{ApiExamples.PartnerId}), or use an OAuth client of your own."),
                    "`oauthClient` is a public client and the operator has not granted the caller `companyId` on it; nothing was written."),
                Problem(Problems.Refused("refreshToken", "Procore refused the refresh token (invalid_grant): it was used already, revoked, expired, or issued to another app. Nothing was changed."),
                    "Procore refused the imported `refreshToken` (or, naming `oauthClient`, the client's credentials); nothing was written."),
                TokenEndpoints.ProcoreUnavailable with { Description = "Procore could not be asked to redeem the imported `refreshToken`; nothing was written." },
            ]);
        connection.MapDelete("connection", DeleteConnection)
            .WithName("DeleteConnection")
            .WithSummary("Delete a workspace")
            .WithDescription("Revokes its grant at Procore (a failed revocation is logged, not fatal), then deletes every secret it owns and its row. "
                + "Its audit trail goes out in the `workspace.deleted` event (listed by `GET /api/partner/events`); the workspace's routes answer 404 from now on.")
            .WithMetadata(RateLimited.PerPartner)
            .WithIfMatch()
            .WithResponses(static () =>
            [
                Ok(StatusCodes.Status204NoContent, "Deleted."),
                WorkspaceRoutes.InvalidId,
                WorkspaceRoutes.NotFound,
                Problem(Problems.Conflict($"Workspace '{ApiExamples.WorkspaceId}' changed while it was being deleted; retry."), "Another write won the race."),
            ]);
        return api;
    }

    /// <summary>The list's tag filters: <c>tag.{key}=value</c>, read from the query by <see cref="WorkspaceTags.ParseFilters"/>.</summary>
    public static readonly QueryFamily TagFilters = new(
        "tag", WorkspaceTags.FilterPrefix, WorkspaceTags.KeyPattern,
        WorkspaceTags.MaxFilters,
        $"Tag filters, each sent as its own parameter `tag.{{key}}=value` (e.g. `?tag.region=west&tag.tier=gold`): up to {WorkspaceTags.MaxFilters}, "
        + $"each key once, a value of 1 to {WorkspaceTags.MaxValueLength} characters; only workspaces carrying every such tag are listed.");

    /// <summary><c>GET /api/workspaces/{id}/connection</c>.</summary>
    public static Ok<ConnectionResponse> GetConnection(VisibleWorkspace workspace, IOptions<ProcoreOptions> procore, HttpResponse response)
    {
        response.Headers.ETag = workspace.Value.ETag.ToString();
        return TypedResults.Ok(ConnectionResponse.From(workspace.Value, procore.Value));
    }

    /// <summary><c>PUT /api/workspaces/{id}/connection</c>: create or update.</summary>
    public static async Task<Results<Created<ConnectionResponse>, Ok<ConnectionResponse>, ValidationProblem, ProblemHttpResult>> PutConnection(
        WorkspaceRoute route,
        HttpRequest request,
        ClaimsPrincipal user,
        WorkspaceConnectionService connections,
        AuditLog audit,
        IOptions<ProcoreOptions> procore,
        CancellationToken cancellationToken)
    {
        var (body, bodyProblem) = await JsonBody.ReadAsync<ConnectionRequest>(request, cancellationToken, ConnectionRequest.MovedFields);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        var (settings, errors) = ConnectionRequestValidator.Validate(body!);
        if (settings is null)
        {
            return Problems.Fields(errors);
        }

        var outcome = await connections.UpsertAsync(route.Ref, settings, Preconditions.IfMatch(request), cancellationToken);
        if (outcome.Value is { } workspace)
        {
            var created = outcome.Status == WriteStatus.Created;
            await audit.RecordAsync(workspace.Key, user.Actor(), created ? "workspace.created" : "workspace.updated", SentFields(body!), cancellationToken);
            request.HttpContext.Response.Headers.ETag = workspace.ETag.ToString();
            var view = ConnectionResponse.From(workspace, procore.Value);
            return created
                ? TypedResults.Created($"/api/workspaces/{route.Id}/connection", view)
                : TypedResults.Ok(view);
        }

        return outcome.Status switch
        {
            WriteStatus.Invalid => Problems.Field(outcome.Field!, outcome.Detail!),
            WriteStatus.Refused => Problems.Refused(outcome.Field!, outcome.Detail!),
            WriteStatus.Forbidden => Problems.Forbidden(outcome.Field!, outcome.Detail!),
            _ => Failure(route.Id, outcome),
        };
    }

    /// <summary><c>DELETE /api/workspaces/{id}/connection</c>: the workspace and all its secrets.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteConnection(
        WorkspaceRoute route, HttpRequest request, ClaimsPrincipal user, WorkspaceDeletion connections, AuditLog audit, DeletionNotice notice,
        CancellationToken cancellationToken)
    {
        var outcome = await connections.DeleteAsync(route.Ref, Preconditions.IfMatch(request), cancellationToken);
        if (outcome.Status != WriteStatus.Deleted)
        {
            return Failure(route.Id, outcome);
        }

        await audit.RecordAsync(outcome.Value!.Key, user.Actor(), "workspace.deleted", null, cancellationToken);
        await notice.PublishAsync(outcome.Value, CancellationToken.None);
        return TypedResults.NoContent();
    }

    private const string CompanyIdRule = "A Procore company id: a positive integer.";

    /// <summary>
    /// <c>GET /api/workspaces?pageSize=&amp;continuationToken=&amp;companyId=&amp;tag.{key}=value</c>:
    /// with tag filters, only workspaces carrying every one, found through the tag index; with
    /// <c>companyId</c>, only those in that company (a filtered page may hold fewer than
    /// <c>pageSize</c> and still have a next one).
    /// </summary>
    public static async Task<Results<Ok<WorkspaceListResponse>, ValidationProblem>> ListWorkspaces(
        string? pageSize, string? continuationToken, string? companyId, HttpRequest request, ClaimsPrincipal user, WorkspaceRepository workspaces,
        WorkspaceTagIndex tagIndex, IOptions<ProcoreOptions> procore, CancellationToken cancellationToken)
    {
        var (size, storageToken, pagingProblem) = Paging.Read(pageSize, continuationToken);
        long? company = null;
        ValidationProblem? companyProblem = null;
        if (companyId is not null)
        {
            if (long.TryParse(companyId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed) && parsed > 0)
            {
                company = parsed;
            }
            else
            {
                companyProblem = Problems.Field("companyId", CompanyIdRule);
            }
        }

        var (filters, filterErrors) = WorkspaceTags.ParseFilters(request.Query);
        if (Problems.All(pagingProblem, companyProblem, filterErrors.Count > 0 ? Problems.Fields(filterErrors) : null) is { } problem)
        {
            return problem;
        }

        var partnerId = user.PartnerId()!;
        WorkspacePage page;
        if (filters.Count == 0)
        {
            page = company is { } inCompany
                ? await workspaces.ListCompanyAsync(partnerId, inCompany, size, storageToken, cancellationToken)
                : await workspaces.ListAsync(partnerId, size, storageToken, cancellationToken);
        }
        else
        {
            var (ids, next) = await tagIndex.FindAsync(partnerId, filters[0], size, storageToken, cancellationToken);
            var rows = await Task.WhenAll(ids.Select(id => workspaces.FindVisibleAsync(new WorkspaceRef(partnerId, id), cancellationToken)));
            page = new WorkspacePage([.. rows.OfType<Workspace>().Where(w => WorkspaceTags.Match(w.Tags, filters) && (company is null || w.CompanyId == company)).OrderBy(w => w.Id, StringComparer.Ordinal)], next);
        }

        return TypedResults.Ok(new WorkspaceListResponse(
            [.. page.Items.Select(w => ConnectionResponse.From(w, procore.Value))],
            Paging.Encode(page.ContinuationToken)));
    }

    /// <summary><c>GET /api/workspaces/needs-attention</c>: what a person has to act on, in one call.</summary>
    public static async Task<Ok<NeedsAttentionResponse>> ListNeedsAttention(ClaimsPrincipal user, NeedsAttention attention, CancellationToken cancellationToken) =>
        TypedResults.Ok(await attention.ListAsync(user.PartnerId()!, cancellationToken));

    // What a change touched, by field name: the values (a secret among them) stay out of the log.
    private static string SentFields(ConnectionRequest body) => string.Join(", ", new (string Name, object? Value)[]
    {
        ("companyId", body.CompanyId), ("environment", body.Environment), ("oauthClient", body.OAuthClient),
        ("refreshToken", body.RefreshToken), ("tags", body.Tags),
    }.Where(f => f.Value is not null).Select(f => f.Name));

    /// <summary>The problem a write that did not happen answers (not found, stale If-Match, Procore down, a conflict).</summary>
    internal static ProblemHttpResult Failure(string id, WriteOutcome<Workspace> outcome) =>
        outcome.Status switch
        {
            WriteStatus.NotFound => Problems.WorkspaceNotFound(id),
            WriteStatus.PreconditionFailed => Problems.PreconditionFailed(outcome.Detail!),
            WriteStatus.UpstreamFailed => TypedResults.Problem(outcome.Detail, statusCode: StatusCodes.Status502BadGateway, title: "Procore unavailable"),
            _ => Problems.Conflict(outcome.Detail ?? "Conflict."),
        };

    private static class Examples
    {
        public static readonly ConnectionRequest ConnectionRequest = new()
        {
            CompanyId = 1001,
            Environment = "production",
            OAuthClient = ApiExamples.ClientName,
        };

        public static readonly ConnectionResponse Connection = new()
        {
            WorkspaceId = ApiExamples.WorkspaceId,
            CompanyId = 1001,
            Environment = ProcoreEnvironment.Production,
            OAuthClient = ApiExamples.ClientName,
            OAuthClientPublic = false,
            AuthFlow = AuthFlow.AuthorizationCode,
            Status = WorkspaceStatus.Connected,
            AccessTokenExpiresAt = ApiExamples.Later.AddMinutes(90),
            LastCheckedAt = ApiExamples.Later,
            LastCheckOk = true,
            ApiBaseUrl = new Uri("https://api.procore.com"),
            Tags = new Dictionary<string, string> { ["crmAccount"] = "A-1042" },
            CreatedAt = ApiExamples.Created,
            UpdatedAt = ApiExamples.Later,
        };

        public static readonly ConnectionResponse PendingConnection = Connection with
        {
            Status = WorkspaceStatus.Pending,
            AccessTokenExpiresAt = null,
            LastCheckedAt = null,
            LastCheckOk = null,
            UpdatedAt = ApiExamples.Created,
        };

        public static readonly WorkspaceListResponse Workspaces = new([Connection], "c2Vjb25kLXBhZ2U");

        public static readonly NeedsAttentionResponse NeedsAttention = new(
            [
                new WorkspaceAttention(
                    "acme-west", 1002, ProcoreEnvironment.Production, ApiExamples.ClientName, WorkspaceStatus.NeedsReauthorization,
                    new Dictionary<string, string> { ["crmAccount"] = "A-1043" },
                    [
                        new AttentionReason(
                            "needs_reauthorization", "Procore refused the refresh token (invalid_grant).",
                            "A person connects again (GET /api/workspaces/acme-west/connect or a connect link), or you import a refresh token.", ApiExamples.Created),
                    ]),
            ],
            [],
            ApiExamples.Later);
    }
}
