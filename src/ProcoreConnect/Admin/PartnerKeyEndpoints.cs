using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using ProcoreConnect.Audit;
using ProcoreConnect.Http;
using ProcoreConnect.Security;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Admin;

/// <summary>Partner API key administration (admin role only).</summary>
public static class PartnerKeyEndpoints
{
    /// <summary>The body of a key creation.</summary>
    public sealed record CreateKeyRequest(string? Name);

    /// <summary><c>POST /api/partners/{partnerId}/keys</c>: the key is in this response only.</summary>
    public static async Task<Results<Created<CreatedPartnerKey>, ValidationProblem>> CreateKey(
        string partnerId, HttpRequest request, ClaimsPrincipal user, PartnerKeyStore keys, AuditLog audit, CancellationToken cancellationToken)
    {
        if (!WorkspaceId.IsValid(partnerId))
        {
            return Problems.InvalidPartnerId();
        }

        string? name = null;
        if (request.ContentLength is > 0)
        {
            var (body, problem) = await JsonBody.ReadAsync<CreateKeyRequest>(request, cancellationToken);
            if (problem is not null)
            {
                return problem;
            }

            name = body!.Name;
            if (name is { Length: > 100 } || (name is not null && name.Any(char.IsControl)))
            {
                return Problems.Field("name", "At most 100 characters, no control characters.");
            }
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

        if (keyId.Length != 16 || !keyId.All(char.IsAsciiHexDigitLower))
        {
            return Problems.Field("keyId", "Key ids are 16 lower-case hex characters.");
        }

        if (!await keys.RevokeAsync(partnerId, keyId, cancellationToken))
        {
            return TypedResults.Problem($"Key '{keyId}' of partner '{partnerId}' was not found.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
        }

        await audit.RecordAsync("partner:" + partnerId, user.Actor(), "partner.key_revoked", keyId, cancellationToken);
        return TypedResults.NoContent();
    }
}
