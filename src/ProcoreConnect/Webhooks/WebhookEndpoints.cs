using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ProcoreConnect.Audit;
using ProcoreConnect.Http;
using ProcoreConnect.Procore;
using ProcoreConnect.Security;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Webhooks;

/// <summary>Procore webhooks in: configuration by the partner, deliveries from Procore, and the projects they reveal.</summary>
public static class WebhookEndpoints
{
    /// <summary><c>PUT /api/workspaces/{id}/webhooks/procore</c>: a new Authorization value for the hook, shown once.</summary>
    public static async Task<Results<Ok<InboundHookSettings>, ValidationProblem, ProblemHttpResult>> Configure(
        string id, HttpRequest request, ClaimsPrincipal user, WorkspaceRepository workspaces, InboundWebhookStore hooks, AuditLog audit, Hosting.PublicUrls urls,
        CancellationToken cancellationToken)
    {
        if (!WorkspaceId.IsValid(id))
        {
            return Problems.InvalidWorkspaceId();
        }

        if (await workspaces.FindVisibleAsync(new WorkspaceRef(user.PartnerId()!, id), cancellationToken) is not { } workspace)
        {
            return Problems.WorkspaceNotFound(id);
        }

        var authorization = await hooks.ConfigureAsync(workspace, cancellationToken);
        await audit.RecordAsync(workspace.Key, user.Actor(), "webhook.procore_configured", null, cancellationToken);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new InboundHookSettings(urls.WebhookDelivery(workspace.Key), authorization));
    }

    /// <summary>
    /// <c>POST /api/webhooks/procore/{workspaceKey}</c>: checks the hook's Authorization value in
    /// constant time, checks the delivery's <c>company_id</c> is the workspace's, stores the delivery
    /// once (by its ULID or id) and acknowledges at once. Any of Procore's payload formats (v2, v3,
    /// v4) is accepted.
    /// </summary>
    public static async Task<Results<Ok<DeliveryAck>, ValidationProblem, UnauthorizedHttpResult>> Receive(
        string workspaceKey, HttpRequest request, InboundWebhookStore hooks, WorkspaceRepository workspaces, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("ProcoreConnect.Webhooks");
        var owner = WorkspaceId.IsKey(workspaceKey)
            ? await hooks.VerifyAsync(workspaceKey, request.Headers.Authorization.ToString(), cancellationToken)
            : null;
        var workspace = owner is { } found ? await workspaces.FindVisibleAsync(found, cancellationToken) : null;
        if (workspace is null || workspace.Key != workspaceKey)
        {
            logger.LogWarning("Refused a Procore webhook delivery: unknown workspace or wrong Authorization value");
            return TypedResults.Unauthorized();
        }

        if (!request.HasJsonContentType() || request.ContentLength > JsonBody.MaxBytes)
        {
            return Problems.Field("body", $"A JSON body of at most {JsonBody.MaxBytes} bytes is required.");
        }

        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var payload = await ReadLimitedAsync(reader, cancellationToken);
        if (payload is null || ProcoreDelivery.Parse(payload) is not { } delivery)
        {
            return Problems.Field("body", "A Procore delivery (payload v2, v3 or v4) with an id or ulid is required.");
        }

        // Procore signs nothing: the Authorization value proves only who holds it, so the delivery
        // must also be about this workspace's company. Every payload format carries company_id, so
        // one without it is refused as unmatched rather than taken on trust.
        if (delivery.CompanyId != workspace.CompanyId)
        {
            logger.LogWarning(
                "Refused a Procore webhook delivery for workspace {WorkspaceId}: company_id {DeliveryCompanyId} is not the workspace's company",
                workspace.Id, delivery.CompanyId);
            return OtherCompany(workspace.CompanyId);
        }

        var first = await hooks.RecordAsync(workspace.Key, delivery, payload, cancellationToken);
        if (first && delivery.ResourceName == "Projects" && delivery.EventType == "create" && delivery.ResourceId is > 0 and var projectId)
        {
            await hooks.AddProjectAsync(workspace.Key, projectId, workspace.CompanyId, cancellationToken);
        }

        return TypedResults.Ok(new DeliveryAck(delivery.Key, Duplicate: !first));
    }

    /// <summary>The 400 for a delivery whose <c>company_id</c> is missing or not the workspace's.</summary>
    public static ValidationProblem OtherCompany(long workspaceCompanyId) =>
        Problems.Field(
            "company_id",
            $"A delivery for this hook must carry company_id {workspaceCompanyId}, the workspace's company. Nothing was stored; "
            + "check that the hook was created with this workspace's company.");

    /// <summary><c>GET /api/workspaces/{id}/projects</c>: projects Procore announced, and whether the app sees them yet.</summary>
    public static async Task<Results<Ok<IReadOnlyList<KnownProject>>, ValidationProblem, ProblemHttpResult>> Projects(
        string id, ClaimsPrincipal user, WorkspaceRepository workspaces, InboundWebhookStore hooks, TokenReader tokens, ProcoreApiClient api, CancellationToken cancellationToken)
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

        var known = await hooks.ProjectsAsync(workspace.Key, cancellationToken);
        HashSet<long>? visible = null;
        if ((await tokens.GetTokenAsync(workspace.Ref, cancellationToken)).Token is { } token)
        {
            var response = await api.GetAsync(
                workspace.Environment, token.AccessToken, workspace.CompanyId, $"rest/v1.0/projects?company_id={workspace.CompanyId}", cancellationToken);
            if (response is { Status: 200, Body: { ValueKind: JsonValueKind.Array } projects })
            {
                visible = [.. projects.EnumerateArray()
                    .Where(p => p.TryGetProperty("id", out var pid) && pid.ValueKind == JsonValueKind.Number)
                    .Select(p => p.GetProperty("id").GetInt64())];
            }
        }

        return TypedResults.Ok<IReadOnlyList<KnownProject>>(
            [.. known.Select(p => new KnownProject(p.ProjectId, p.FirstSeenAt, visible?.Contains(p.ProjectId)))]);
    }

    private static async Task<string?> ReadLimitedAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        var buffer = new char[JsonBody.MaxBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await reader.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        return total > JsonBody.MaxBytes || total == 0 ? null : new string(buffer, 0, total);
    }
}

/// <summary>The acknowledgement of a delivery.</summary>
public sealed record DeliveryAck(string DeliveryKey, bool Duplicate);
