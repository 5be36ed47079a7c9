using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using ProcoreConnect.Audit;
using ProcoreConnect.Http;
using ProcoreConnect.OpenApi;
using ProcoreConnect.Security;
using ProcoreConnect.Workspaces;
using static ProcoreConnect.OpenApi.ResponseDoc;

namespace ProcoreConnect.Admin;

/// <summary>Partner API key administration (admin role only); a partner's own keys are <c>Partners.OwnKeyEndpoints</c>.</summary>
public static class PartnerKeyEndpoints
{
    /// <summary>
    /// Maps a partner's keys, for admins. Not under <c>admin/</c>: the Functions host refuses every
    /// route that starts with <c>admin</c> or <c>runtime</c>, its own built-in routes (see HostRouteTests).
    /// </summary>
    public static IEndpointRouteBuilder MapPartnerKeys(this IEndpointRouteBuilder api)
    {
        var keys = api.MapGroup("partners/{partnerId}").RequireAuthorization(Roles.Admin).WithTags(ApiTags.Administration);
        keys.MapPost("keys", CreateKey)
            .WithName("CreatePartnerKey")
            .WithSummary("Create a partner API key")
            .WithDescription("The key is in this answer only (`Cache-Control: no-store`); the service keeps a salted hash. The body is optional.")
            .WithRequestBody(static () => new RequestDoc(typeof(CreateKeyRequest), Examples.KeyRequest, [], Optional: true))
            .WithResponses(static () =>
            [
                Ok(StatusCodes.Status201Created, "Created; send it as `X-Api-Key`.", Examples.CreatedKey),
                InvalidPartnerId,
                Invalid(Problems.Field("name", KeyRequests.NameRule), "`name` is too long or has control characters."),
            ]);
        keys.MapGet("keys", ListKeys)
            .WithName("ListPartnerKeys")
            .WithSummary("List a partner's API keys")
            .WithResponses(static () => [Ok(StatusCodes.Status200OK, "Ids, names and dates (created, last used, revoked), never keys.", Examples.Keys), InvalidPartnerId]);
        keys.MapDelete("keys/{keyId}", RevokeKey)
            .WithName("RevokePartnerKey")
            .WithSummary("Revoke a partner API key")
            .WithDescription("Immediately on the instance that revokes it, within `Auth:KeyCacheDuration` (30 s) on the others.")
            .WithResponses(static () =>
            [
                Ok(StatusCodes.Status204NoContent, "Revoked."),
                InvalidPartnerId,
                Invalid(Problems.Field("keyId", KeyRequests.KeyIdRule), "`keyId` is not a key id."),
                Problem(KeyRequests.NotFound(ApiExamples.PartnerId, "816891213d8e0f5f"), "The partner has no such key."),
            ]);
        return api;
    }

    /// <summary><c>POST /api/partners/{partnerId}/keys</c>: the key is in this response only.</summary>
    public static async Task<Results<Created<CreatedPartnerKey>, ValidationProblem>> CreateKey(
        string partnerId, HttpRequest request, ClaimsPrincipal user, PartnerKeyStore keys, AuditLog audit, CancellationToken cancellationToken)
    {
        if (!WorkspaceId.IsValid(partnerId))
        {
            return Problems.InvalidPartnerId();
        }

        var (name, problem) = await KeyRequests.ReadNameAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var created = await keys.CreateAsync(partnerId, name, cancellationToken);
        await audit.RecordAsync("partner:" + partnerId, user.Actor(), "partner.key_created", created.KeyId, cancellationToken);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/api/partners/{partnerId}/keys/{created.KeyId}", created);
    }

    /// <summary><c>GET /api/partners/{partnerId}/keys</c>: ids, names and dates, never keys.</summary>
    public static async Task<Results<Ok<IReadOnlyList<PartnerKey>>, ValidationProblem>> ListKeys(
        string partnerId, PartnerKeyStore keys, CancellationToken cancellationToken) =>
        WorkspaceId.IsValid(partnerId)
            ? TypedResults.Ok(await keys.ListAsync(partnerId, cancellationToken))
            : Problems.InvalidPartnerId();

    /// <summary><c>DELETE /api/partners/{partnerId}/keys/{keyId}</c>: revoke.</summary>
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> RevokeKey(
        string partnerId, string keyId, ClaimsPrincipal user, PartnerKeyStore keys, AuditLog audit, CancellationToken cancellationToken)
    {
        if (!WorkspaceId.IsValid(partnerId))
        {
            return Problems.InvalidPartnerId();
        }

        if (!KeyRequests.IsKeyId(keyId))
        {
            return Problems.Field("keyId", KeyRequests.KeyIdRule);
        }

        if (!await keys.RevokeAsync(partnerId, keyId, cancellationToken))
        {
            return KeyRequests.NotFound(partnerId, keyId);
        }

        await audit.RecordAsync("partner:" + partnerId, user.Actor(), "partner.key_revoked", keyId, cancellationToken);
        return TypedResults.NoContent();
    }

    private static ResponseDoc InvalidPartnerId => Invalid(Problems.InvalidPartnerId(), "The partner id is not of the workspace id shape.");

    private static class Examples
    {
        public static readonly CreateKeyRequest KeyRequest = new("production");

        public static readonly CreatedPartnerKey CreatedKey = new("816891213d8e0f5f", ApiExamples.PartnerId, "production", ApiExamples.Created, "pck_816891213d8e0f5f_(shown once)");

        public static readonly IReadOnlyList<PartnerKey> Keys = [new PartnerKey("816891213d8e0f5f", ApiExamples.PartnerId, "production", ApiExamples.Created, null, ApiExamples.Later)];
    }
}
