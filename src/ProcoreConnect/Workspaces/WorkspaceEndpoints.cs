using System.Buffers.Text;
using System.Text;
using Azure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ProcoreConnect.Http;
using ProcoreConnect.Procore;

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
        string id, WorkspaceRepository workspaces, IOptions<ProcoreOptions> procore, HttpResponse response, CancellationToken cancellationToken)
    {
        if (!WorkspaceId.IsValid(id))
        {
            return InvalidId();
        }

        var workspace = await workspaces.FindAsync(id, cancellationToken);
        if (workspace is null || workspace.Status == WorkspaceStatus.Deleting)
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
        WorkspaceConnectionService connections,
        IOptions<ProcoreOptions> procore,
        CancellationToken cancellationToken)
    {
        if (!WorkspaceId.IsValid(id))
        {
            return InvalidId();
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

        var outcome = await connections.UpsertAsync(id, settings, IfMatch(request), cancellationToken);
        if (outcome.Workspace is { } workspace)
        {
            request.HttpContext.Response.Headers.ETag = workspace.ETag.ToString();
            var view = ConnectionResponse.From(workspace, procore.Value);
            return outcome.Status == WriteStatus.Created
                ? TypedResults.Created($"/api/workspaces/{id}/connection", view)
                : TypedResults.Ok(view);
        }

        return outcome.Status == WriteStatus.Invalid ? Problems.Field(outcome.Field!, outcome.Detail!) : Failure(id, outcome);
    }

    /// <summary><c>DELETE /api/workspaces/{id}/connection</c>: the workspace and all its secrets.</summary>
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteConnection(
        string id, HttpRequest request, WorkspaceConnectionService connections, CancellationToken cancellationToken)
    {
        if (!WorkspaceId.IsValid(id))
        {
            return InvalidId();
        }

        var outcome = await connections.DeleteAsync(id, IfMatch(request), cancellationToken);
        return outcome.Status == WriteStatus.Deleted ? TypedResults.NoContent() : Failure(id, outcome);
    }

    /// <summary><c>GET /api/workspaces?pageSize=&amp;continuationToken=</c>.</summary>
    public static async Task<Results<Ok<WorkspaceListResponse>, ValidationProblem>> ListWorkspaces(
        string? pageSize, string? continuationToken, WorkspaceRepository workspaces, IOptions<ProcoreOptions> procore, CancellationToken cancellationToken)
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

        var page = await workspaces.ListAsync(size, storageToken, cancellationToken);
        return TypedResults.Ok(new WorkspaceListResponse(
            [.. page.Items.Select(w => ConnectionResponse.From(w, procore.Value))],
            page.ContinuationToken is null ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(page.ContinuationToken))));
    }

    private static ValidationProblem InvalidId() => Problems.Field("id", "Workspace ids are " + WorkspaceId.Rule);

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
