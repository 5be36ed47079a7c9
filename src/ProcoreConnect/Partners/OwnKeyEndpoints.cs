using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ProcoreConnect.Admin;
using ProcoreConnect.Audit;
using ProcoreConnect.Http;
using ProcoreConnect.OpenApi;
using ProcoreConnect.Security;
using static ProcoreConnect.OpenApi.ResponseDoc;

namespace ProcoreConnect.Partners;

/// <summary>
/// <c>/api/partner/keys</c>: the caller partner's own API keys, created, listed and revoked by the
/// partner itself; never another partner's (the admin's routes, <see cref="PartnerKeyEndpoints"/>, reach every partner's).
/// </summary>
public static class OwnKeyEndpoints
{
    /// <summary>Maps the caller's keys, for partners.</summary>
    public static IEndpointRouteBuilder MapOwnKeys(this IEndpointRouteBuilder api)
    {
        var keys = api.MapGroup("partner").RequireAuthorization(Roles.Partner).WithTags(ApiTags.PartnerEvents);
        keys.MapPost("keys", Create)
            .WithName("CreateOwnKey")
            .WithSummary("Create an API key for the caller")
            .WithDescription("The key is in this answer only (`Cache-Control: no-store`); the service keeps a salted hash. The body is optional. "
                + "A partner holds at most `Auth:MaxKeysPerPartner` (10) unrevoked keys: revoke one to make room.")
            .WithMetadata(RateLimited.PerPartner) // each key is a credential that works until revoked
            .WithRequestBody(static () => new RequestDoc(typeof(CreateKeyRequest), Examples.KeyRequest, [], Optional: true))
            .WithResponses(static () =>
            [
                Ok(StatusCodes.Status201Created, "Created; send it as `X-Api-Key`.", Examples.CreatedKey),
                Invalid(Problems.Field("name", KeyRequests.NameRule), "`name` is too long or has control characters."),
                Problem(TooMany(10), "The caller already holds the most unrevoked keys allowed."),
            ]);
        keys.MapGet("keys", List)
            .WithName("ListOwnKeys")
            .WithSummary("List the caller's API keys")
            .WithResponses(static () => [Ok(StatusCodes.Status200OK, "Ids, names and dates (created, last used, revoked), never keys.", Examples.Keys)]);
        keys.MapDelete("keys/{keyId}", Revoke)
            .WithName("RevokeOwnKey")
            .WithSummary("Revoke one of the caller's API keys")
            .WithDescription("Immediately on the instance that revokes it, within `Auth:KeyCacheDuration` (30 s) on the others. The key the call "
                + "is made with may be revoked too: the calls after it answer `401`. Another partner's key answers `404`, as an unknown one does.")
            .WithMetadata(RateLimited.PerPartner)
            .WithResponses(static () =>
            [
                Ok(StatusCodes.Status204NoContent, "Revoked (or already revoked)."),
                Invalid(Problems.Field("keyId", KeyRequests.KeyIdRule), "`keyId` is not a key id."),
                Problem(KeyRequests.NotFound(ApiExamples.PartnerId, "816891213d8e0f5f"), "The caller has no such key."),
            ]);
        return api;
    }

    /// <summary><c>POST /api/partner/keys</c>: the key is in this response only.</summary>
    public static async Task<Results<Created<CreatedPartnerKey>, ValidationProblem, ProblemHttpResult>> Create(
        HttpRequest request, ClaimsPrincipal user, PartnerKeyStore keys, AuditLog audit, IOptions<AuthOptions> options, CancellationToken cancellationToken)
    {
        var (name, problem) = await KeyRequests.ReadNameAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var partnerId = user.PartnerId()!;
        var (created, _) = await keys.CreateOwnAsync(partnerId, name, cancellationToken);
        if (created is null)
        {
            return TooMany(options.Value.MaxKeysPerPartner);
        }

        await audit.RecordAsync("partner:" + partnerId, user.Actor(), "partner.key_created", created.KeyId, cancellationToken);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/api/partner/keys/{created.KeyId}", created);
    }

    /// <summary><c>GET /api/partner/keys</c>: the caller's keys, never their values.</summary>
    public static async Task<Ok<IReadOnlyList<PartnerKey>>> List(ClaimsPrincipal user, PartnerKeyStore keys, CancellationToken cancellationToken) =>
        TypedResults.Ok(await keys.ListAsync(user.PartnerId()!, cancellationToken));

    /// <summary><c>DELETE /api/partner/keys/{keyId}</c>: revoke one of the caller's keys, the calling one included.</summary>
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Revoke(
        string keyId, ClaimsPrincipal user, PartnerKeyStore keys, AuditLog audit, CancellationToken cancellationToken)
    {
        if (!KeyRequests.IsKeyId(keyId))
        {
            return Problems.Field("keyId", KeyRequests.KeyIdRule);
        }

        var partnerId = user.PartnerId()!;
        if (!await keys.RevokeAsync(partnerId, keyId, cancellationToken))
        {
            return KeyRequests.NotFound(partnerId, keyId);
        }

        await audit.RecordAsync("partner:" + partnerId, user.Actor(), "partner.key_revoked", keyId, cancellationToken);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult TooMany(int max) => Problems.Conflict(
        $"This partner already holds {max.ToString(CultureInfo.InvariantCulture)} unrevoked API keys, the most allowed. "
        + "Revoke one it no longer uses (DELETE /api/partner/keys/{keyId}), then create the new one.");

    private static class Examples
    {
        public static readonly CreateKeyRequest KeyRequest = new("ci pipeline");

        public static readonly CreatedPartnerKey CreatedKey = new("3f9c2a7b1e0d4c58", ApiExamples.PartnerId, "ci pipeline", ApiExamples.Created, "pck_3f9c2a7b1e0d4c58_(shown once)");

        public static readonly IReadOnlyList<PartnerKey> Keys =
        [
            new PartnerKey("816891213d8e0f5f", ApiExamples.PartnerId, "production", ApiExamples.Created, null, ApiExamples.Later),
            new PartnerKey("3f9c2a7b1e0d4c58", ApiExamples.PartnerId, "ci pipeline", ApiExamples.Created, null, null),
        ];
    }
}
