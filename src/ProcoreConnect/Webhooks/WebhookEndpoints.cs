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
        string id, HttpRequest request, ClaimsPrincipal user, WorkspaceRepository workspaces, InboundWebhookStore hooks, AuditLog audit, CancellationToken cancellationToken)
    {
        if (!WorkspaceId.IsValid(id))
        {
            return Problems.InvalidWorkspaceId();
        }

        if (await workspaces.FindOwnedAsync(id, user.PartnerId()!, cancellationToken) is null)
        {
            return Problems.WorkspaceNotFound(id);
        }

        var authorization = await hooks.ConfigureAsync(id, cancellationToken);
        await audit.RecordAsync(id, user.Actor(), "webhook.procore_configured", null, cancellationToken);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        var url = new Uri($"{request.Scheme}://{request.Host}/api/webhooks/procore/{id}");
        return TypedResults.Ok(new InboundHookSettings(url, authorization));
    }

    /// <summary>
    /// <c>POST /api/webhooks/procore/{workspaceId}</c>: checks the hook's Authorization value in
    /// constant time, stores the delivery once (by ulid or id) and acknowledges at once.
    /// </summary>
    public static async Task<Results<Ok<DeliveryAck>, ValidationProblem, UnauthorizedHttpResult>> Receive(
        string workspaceId, HttpRequest request, InboundWebhookStore hooks, WorkspaceRepository workspaces, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("ProcoreConnect.Webhooks");
        if (!WorkspaceId.IsValid(workspaceId) || !await hooks.VerifyAsync(workspaceId, request.Headers.Authorization.ToString(), cancellationToken))
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
        ProcoreDelivery? delivery;
        try
        {
            delivery = payload is null ? null : JsonSerializer.Deserialize<ProcoreDelivery>(payload);
        }
        catch (JsonException)
        {
            delivery = null;
        }

        var key = delivery?.Ulid is { Length: > 0 and <= 64 } ulid && ulid.All(char.IsAsciiLetterOrDigit) ? ulid
            : delivery?.Id is > 0 ? "id-" + delivery.Id : null;
        if (delivery is null || key is null)
        {
            return Problems.Field("body", "A JSON delivery with an id or ulid is required.");
        }

        var first = await hooks.RecordAsync(workspaceId, key, delivery, payload!, cancellationToken);
        if (first && delivery.ResourceName == "Projects" && delivery.EventType == "create" && delivery.ResourceId is > 0 and var projectId)
        {
            var companyId = delivery.CompanyId ?? (await workspaces.FindAsync(workspaceId, cancellationToken))?.CompanyId ?? 0;
            await hooks.AddProjectAsync(workspaceId, projectId, companyId, cancellationToken);
        }

        return TypedResults.Ok(new DeliveryAck(key, Duplicate: !first));
    }

    /// <summary><c>GET /api/workspaces/{id}/projects</c>: projects Procore announced, and whether the app sees them yet.</summary>
    public static async Task<Results<Ok<IReadOnlyList<KnownProject>>, ValidationProblem, ProblemHttpResult>> Projects(
        string id, ClaimsPrincipal user, WorkspaceRepository workspaces, InboundWebhookStore hooks, TokenService tokens, ProcoreApiClient api, CancellationToken cancellationToken)
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

        var known = await hooks.ProjectsAsync(id, cancellationToken);
        HashSet<long>? visible = null;
        if ((await tokens.GetTokenAsync(id, cancellationToken)).Token is { } token)
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
