using System.Buffers.Text;
using System.Security.Claims;
using System.Text;
using Azure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ProcoreConnect.Audit;
using ProcoreConnect.Http;
using ProcoreConnect.Procore;
using ProcoreConnect.Security;

namespace ProcoreConnect.Workspaces;

/// <summary>The connector configuration API partner platforms call.</summary>
public static class WorkspaceEndpoints
{
    /// <summary>Largest page a list returns.</summary>
    public const int MaxPageSize = 100;

    /// <summary>Page size when none is asked for.</summary>
    public const int DefaultPageSize = 50;

    /// <summary><c>GET /api/workspaces/{id}/connection</c>.</summary>
    public static async Task<Results<Ok<ConnectionResponse>, ValidationProblem, ProblemHttpResult>> GetConnection(
        string id, ClaimsPrincipal user, WorkspaceRepository workspaces, IOptions<ProcoreOptions> procore, HttpResponse response, CancellationToken cancellationToken)
    {
        if (!WorkspaceId.IsValid(id))
        {
            return Problems.InvalidWorkspaceId();
        }

        var workspace = await workspaces.FindOwnedAsync(id, user.PartnerId()!, cancellationToken);
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

        var (body, bodyProblem) = await JsonBody.ReadAsync<ConnectionRequest>(request, cancellationToken);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        var (settings, errors) = ConnectionRequestValidator.Validate(body!);
        if (settings is null)
        {
            return Problems.Fields(errors);
        }

        var outcome = await connections.UpsertAsync(id, user.PartnerId()!, settings, IfMatch(request), cancellationToken);
        if (outcome.Workspace is { } workspace)
        {
            var created = outcome.Status == WriteStatus.Created;
            await audit.RecordAsync(id, user.Actor(), created ? "workspace.created" : "workspace.updated", SentFields(body!), cancellationToken);
            request.HttpContext.Response.Headers.ETag = workspace.ETag.ToString();
            var view = ConnectionResponse.From(workspace, procore.Value);
            return created
                ? TypedResults.Created($"/api/workspaces/{id}/connection", view)
                : TypedResults.Ok(view);
        }

        return outcome.Status == WriteStatus.Invalid ? Problems.Field(outcome.Field!, outcome.Detail!) : Failure(id, outcome);
    }

    /// <summary><c>DELETE /api/workspaces/{id}/connection</c>: the workspace and all its secrets.</summary>
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteConnection(
        string id, HttpRequest request, ClaimsPrincipal user, WorkspaceConnectionService connections, AuditLog audit, CancellationToken cancellationToken)
    {
        if (!WorkspaceId.IsValid(id))
        {
            return Problems.InvalidWorkspaceId();
        }

        var outcome = await connections.DeleteAsync(id, user.PartnerId()!, IfMatch(request), cancellationToken);
        if (outcome.Status != WriteStatus.Deleted)
        {
            return Failure(id, outcome);
        }

        await audit.RecordAsync(id, user.Actor(), "workspace.deleted", null, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary><c>GET /api/workspaces?pageSize=&amp;continuationToken=</c>.</summary>
    public static async Task<Results<Ok<WorkspaceListResponse>, ValidationProblem>> ListWorkspaces(
        string? pageSize, string? continuationToken, ClaimsPrincipal user, WorkspaceRepository workspaces, IOptions<ProcoreOptions> procore, CancellationToken cancellationToken)
    {
        var size = DefaultPageSize;
        if (pageSize is not null && (!int.TryParse(pageSize, out size) || size is < 1 or > MaxPageSize))
        {
            return Problems.Field("pageSize", $"Must be an integer from 1 to {MaxPageSize}.");
        }

        string? storageToken = null;
        if (continuationToken is not null && !TryDecode(continuationToken, out storageToken))
        {
            return Problems.Field("continuationToken", "Not a token this API returned.");
        }

        var page = await workspaces.ListAsync(size, storageToken, cancellationToken, user.PartnerId()!);
        return TypedResults.Ok(new WorkspaceListResponse(
            [.. page.Items.Select(w => ConnectionResponse.From(w, procore.Value))],
            page.ContinuationToken is null ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(page.ContinuationToken))));
    }

    // What a change touched, by field name: the values (a secret among them) stay out of the log.
    private static string SentFields(ConnectionRequest body) => string.Join(", ", new (string Name, object? Value)[]
    {
        ("companyId", body.CompanyId), ("environment", body.Environment), ("authFlow", body.AuthFlow), ("clientId", body.ClientId),
        ("clientSecret", body.ClientSecret), ("clientSecretExpiresAt", body.ClientSecretExpiresAt), ("redirectUri", body.RedirectUri),
    }.Where(f => f.Value is not null).Select(f => f.Name));

    private static ProblemHttpResult Failure(string id, WriteOutcome outcome) =>
        outcome.Status switch
        {
            WriteStatus.NotFound => Problems.WorkspaceNotFound(id),
            WriteStatus.PreconditionFailed => Problems.PreconditionFailed(outcome.Detail!),
            _ => Problems.Conflict(outcome.Detail ?? "Conflict."),
        };

    private static ETag? IfMatch(HttpRequest request) =>
        request.Headers.IfMatch.Count > 0 && !string.IsNullOrWhiteSpace(request.Headers.IfMatch[0])
            ? new ETag(request.Headers.IfMatch[0]!)
            : null;

    private static bool TryDecode(string token, out string? decoded)
    {
        decoded = null;
        try
        {
            decoded = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            return decoded.Length > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
