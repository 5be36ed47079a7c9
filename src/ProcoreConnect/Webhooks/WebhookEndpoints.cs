using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using ProcoreConnect.Audit;
using ProcoreConnect.Http;
using ProcoreConnect.OpenApi;
using ProcoreConnect.Procore;
using ProcoreConnect.Security;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;
using static ProcoreConnect.OpenApi.ResponseDoc;

namespace ProcoreConnect.Webhooks;

/// <summary>Procore webhooks in: configuration by the partner, deliveries from Procore, and the projects they reveal.</summary>
public static class WebhookEndpoints
{
    /// <summary>
    /// Maps a workspace's hook and its projects, for its partner, and the deliveries, for Procore:
    /// anonymous, since the hook's Authorization value is their only proof.
    /// </summary>
    public static IEndpointRouteBuilder MapProcoreWebhooks(this IEndpointRouteBuilder api)
    {
        api.MapWorkspaceGroup().MapPut("webhooks/procore", Configure)
            .WithName("ConfigureProcoreWebhook")
            .WithTags(ApiTags.ProcoreWebhooks)
            .WithSummary("A new Authorization value for the workspace's Procore hook")
            .WithDescription("Create a hook in Procore with the `deliveryUrl` as its destination and the `authorization` value as its `Authorization` header. "
                + "The value is shown once (`Cache-Control: no-store`); calling again replaces it.")
            .WithMetadata(RateLimited.PerPartner) // hook and signing secrets
            .WithResponses(static () =>
                [Ok(StatusCodes.Status200OK, "The hook's destination and Authorization value.", Examples.HookSettings), WorkspaceRoutes.InvalidId, WorkspaceRoutes.NotFound]);
        api.MapPost("webhooks/procore/{workspaceKey}", Receive)
            .WithName("ReceiveProcoreWebhook")
            // Procore's call to the URL it was given: a refusal would lose the delivery.
            .AcceptsAnyQuery()
            .WithTags(ApiTags.ProcoreWebhooks)
            .WithSummary("Procore's webhook deliveries")
            .WithDescription("For Procore, anonymous: the hook's `Authorization` value is checked in constant time. Payload formats v2, v3 and v4 are accepted "
                + "when their `company_id` is the workspace's company, stored once per `ulid` (v4: `id`) and acknowledged at once; a repeat answers `duplicate: true`.")
            .WithRequestBody(static () => new RequestDoc(typeof(JsonElement), Examples.ProcoreDelivery, []))
            .WithResponses(static () =>
            [
                Ok(StatusCodes.Status200OK, "Stored (or a repeat).", Examples.Delivery),
                Invalid(Problems.Field("body", "A Procore delivery (payload v2, v3 or v4) with an id or ulid is required."), "Not a Procore delivery; nothing is stored."),
                Invalid(OtherCompany(1001), "The delivery's `company_id` is missing or not the workspace's (Procore signs nothing, so the company must match); nothing is stored."),
                When(StatusCodes.Status401Unauthorized, "Unknown workspace key or wrong `Authorization` value."),
            ]);
        api.MapWorkspaceGroup().MapGet("projects", Projects)
            .WithName("ListKnownProjects")
            .WithTags(ApiTags.ProcoreWebhooks)
            .WithSummary("Projects Procore announced, and whether the app sees them yet")
            .WithDescription("From `Projects` `create` deliveries; `visibleToApp` comes from `/rest/v1.0/projects` (null when Procore could not tell), "
                + "so a partner sees the projects not yet permitted to a DMSA app.")
            .WithMetadata(RateLimited.PerPartner) // Procore API calls
            .WithResponses(static () => [Ok(StatusCodes.Status200OK, "The known projects.", Examples.Projects), WorkspaceRoutes.InvalidId, WorkspaceRoutes.NotFound]);
        return api;
    }

    /// <summary><c>PUT /api/workspaces/{id}/webhooks/procore</c>: a new Authorization value for the hook, shown once.</summary>
    public static async Task<Ok<InboundHookSettings>> Configure(
        VisibleWorkspace found, HttpRequest request, ClaimsPrincipal user, InboundWebhookStore hooks, AuditLog audit, Hosting.PublicUrls urls, CancellationToken cancellationToken)
    {
        var workspace = found.Value;
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
    public static async Task<Ok<IReadOnlyList<KnownProject>>> Projects(
        VisibleWorkspace found, InboundWebhookStore hooks, TokenReader tokens, ProcoreApiClient api, CancellationToken cancellationToken)
    {
        var workspace = found.Value;
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

    private static class Examples
    {
        public static readonly InboundHookSettings HookSettings = new(
            new Uri("https://procore-connect.example.com/api/webhooks/procore/acme-hq-5f0c2b9d3e7a1846"), "(a random value, shown once)");

        /// <summary>A Procore delivery in payload format v2 (v3 adds <c>related_resources</c>; v4 uses string ids, <c>reason</c> and <c>resource_type</c>).</summary>
        public static readonly JsonObject ProcoreDelivery = new()
        {
            ["id"] = 4242,
            ["ulid"] = "01JD7S3N8V2M5Q1R6T9W0X4Y7Z",
            ["timestamp"] = "2026-11-23T16:45:00Z",
            ["metadata"] = new JsonObject { ["source_user_id"] = 9, ["source_operation_id"] = null },
            ["user_id"] = 9,
            ["company_id"] = 1001,
            ["project_id"] = 5050,
            ["api_version"] = "v2",
            ["event_type"] = "create",
            ["resource_name"] = "Projects",
            ["resource_id"] = 5050,
        };

        public static readonly DeliveryAck Delivery = new("01JD7S3N8V2M5Q1R6T9W0X4Y7Z", false);

        public static readonly IReadOnlyList<KnownProject> Projects = [new KnownProject(5050, ApiExamples.Later, true)];
    }
}

/// <summary>The acknowledgement of a delivery.</summary>
public sealed record DeliveryAck(string DeliveryKey, bool Duplicate);
