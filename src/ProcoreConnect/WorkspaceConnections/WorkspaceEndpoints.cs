using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ProcoreConnect.Audit;
using ProcoreConnect.Common;
using ProcoreConnect.Http;
using ProcoreConnect.Procore;
using ProcoreConnect.Security;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.WorkspaceConnections;

/// <summary>The connector configuration API partner platforms call.</summary>
public static class WorkspaceEndpoints
{
    /// <summary><c>GET /api/workspaces/{id}/connection</c>.</summary>
    public static async Task<Results<Ok<ConnectionResponse>, ValidationProblem, ProblemHttpResult>> GetConnection(
        string id, ClaimsPrincipal user, WorkspaceRepository workspaces, IOptions<ProcoreOptions> procore, HttpResponse response, CancellationToken cancellationToken)
    {
        if (!WorkspaceId.IsValid(id))
        {
            return Problems.InvalidWorkspaceId();
        }

        var workspace = await workspaces.FindVisibleAsync(new WorkspaceRef(user.PartnerId()!, id), cancellationToken);
        if (workspace is null)
        {
            return Problems.WorkspaceNotFound(id);
        }

        response.Headers.ETag = workspace.ETag.ToString();
        return TypedResults.Ok(ConnectionResponse.From(workspace, procore.Value));
    }

    /// <summary><c>PUT /api/workspaces/{id}/connection</c>: create or update.</summary>
    public static async Task<Results<Created<ConnectionResponse>, Ok<ConnectionResponse>, ValidationProblem, ProblemHttpResult>> PutConnection(
        string id,
        HttpRequest request,
        ClaimsPrincipal user,
        WorkspaceConnectionService connections,
        AuditLog audit,
        IOptions<ProcoreOptions> procore,
        CancellationToken cancellationToken)
    {
        if (!WorkspaceId.IsValid(id))
        {
            return Problems.InvalidWorkspaceId();
        }

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

        var outcome = await connections.UpsertAsync(new WorkspaceRef(user.PartnerId()!, id), settings, Preconditions.IfMatch(request), cancellationToken);
        if (outcome.Value is { } workspace)
        {
            var created = outcome.Status == WriteStatus.Created;
            await audit.RecordAsync(workspace.Key, user.Actor(), created ? "workspace.created" : "workspace.updated", SentFields(body!), cancellationToken);
            request.HttpContext.Response.Headers.ETag = workspace.ETag.ToString();
            var view = ConnectionResponse.From(workspace, procore.Value);
            return created
                ? TypedResults.Created($"/api/workspaces/{id}/connection", view)
                : TypedResults.Ok(view);
        }

        return outcome.Status switch
        {
            WriteStatus.Invalid => Problems.Field(outcome.Field!, outcome.Detail!),
            WriteStatus.Refused => Problems.Refused(outcome.Field!, outcome.Detail!),
            WriteStatus.Forbidden => Problems.Forbidden(outcome.Field!, outcome.Detail!),
            _ => Failure(id, outcome),
        };
    }

    /// <summary><c>DELETE /api/workspaces/{id}/connection</c>: the workspace and all its secrets.</summary>
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteConnection(
        string id, HttpRequest request, ClaimsPrincipal user, WorkspaceDeletion connections, AuditLog audit, CancellationToken cancellationToken)
    {
        if (!WorkspaceId.IsValid(id))
        {
            return Problems.InvalidWorkspaceId();
        }

        var outcome = await connections.DeleteAsync(new WorkspaceRef(user.PartnerId()!, id), Preconditions.IfMatch(request), cancellationToken);
        if (outcome.Status != WriteStatus.Deleted)
        {
            return Failure(id, outcome);
        }

        await audit.RecordAsync(outcome.Value!.Key, user.Actor(), "workspace.deleted", null, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// <c>GET /api/workspaces?pageSize=&amp;continuationToken=&amp;tag.{key}=value</c>: with tag
    /// filters, only workspaces carrying every one, found through the tag index (a page may then
    /// hold fewer than <c>pageSize</c> and still have a next one).
    /// </summary>
    public static async Task<Results<Ok<WorkspaceListResponse>, ValidationProblem>> ListWorkspaces(
        string? pageSize, string? continuationToken, HttpRequest request, ClaimsPrincipal user, WorkspaceRepository workspaces, WorkspaceTagIndex tagIndex,
        IOptions<ProcoreOptions> procore, CancellationToken cancellationToken)
    {
        var (size, storageToken, problem) = Paging.Read(pageSize, continuationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (filters, parameter, filterProblem) = WorkspaceTags.ParseFilters(request.Query);
        if (filters is null)
        {
            return Problems.Field(parameter!, filterProblem!);
        }

        var partnerId = user.PartnerId()!;
        WorkspacePage page;
        if (filters.Count == 0)
        {
            page = await workspaces.ListAsync(partnerId, size, storageToken, cancellationToken);
        }
        else
        {
            var (ids, next) = await tagIndex.FindAsync(partnerId, filters[0], size, storageToken, cancellationToken);
            var rows = await Task.WhenAll(ids.Select(id => workspaces.FindVisibleAsync(new WorkspaceRef(partnerId, id), cancellationToken)));
            page = new WorkspacePage([.. rows.OfType<Workspace>().Where(w => WorkspaceTags.Match(w.Tags, filters)).OrderBy(w => w.Id, StringComparer.Ordinal)], next);
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

    private static ProblemHttpResult Failure(string id, WriteOutcome<Workspace> outcome) =>
        outcome.Status switch
        {
            WriteStatus.NotFound => Problems.WorkspaceNotFound(id),
            WriteStatus.PreconditionFailed => Problems.PreconditionFailed(outcome.Detail!),
            WriteStatus.UpstreamFailed => TypedResults.Problem(outcome.Detail, statusCode: StatusCodes.Status502BadGateway, title: "Procore unavailable"),
            _ => Problems.Conflict(outcome.Detail ?? "Conflict."),
        };
}
