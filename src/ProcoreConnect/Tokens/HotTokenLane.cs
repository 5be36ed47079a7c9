using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using ProcoreConnect.Procore;
using ProcoreConnect.Security;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tokens;

/// <summary>
/// Answers <c>GET /api/workspaces/{id}/token</c> ahead of the rest of the pipeline when the answer
/// is a plain success: the route's partner policy met by a partner API key, and a token held in
/// memory. The key is checked by <see cref="ApiKeyVerifier"/>, the authentication handler's own
/// check, so the lane accepts exactly the partner keys the handler accepts. Anything else (no key,
/// a refused or admin key, a bearer token, another partner's workspace, a token to load or refresh,
/// a withheld token, a malformed id) goes on down the pipeline unchanged, so refusals, their
/// logging and problem details have one source. It stays for speed: docs/benchmarks.md, "Hot path",
/// says what the framework's authentication and authorization cost a hot call.
/// </summary>
public sealed class HotTokenLane(
    RequestDelegate next, ApiKeyVerifier keys, TokenReader tokens, ProcoreRateLimits limits, IOptions<ProcoreOptions> procore, IOptions<JsonOptions> json)
{
    private readonly JsonTypeInfo<TokenResponse> _answer = (JsonTypeInfo<TokenResponse>)json.Value.SerializerOptions.GetTypeInfo(typeof(TokenResponse));

    /// <summary>Answers a hot call, or passes the request on.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        if (await HotTokenAsync(context) is { } token)
        {
            context.Response.Headers.CacheControl = "no-store";
            await context.Response.WriteAsJsonAsync(TokenResponse.From(token, procore.Value), _answer, contentType: null, context.RequestAborted);
            return;
        }

        await next(context);
    }

    private async Task<CachedToken?> HotTokenAsync(HttpContext context)
    {
        // A query is the pipeline's to check (StrictQuery): the route takes none but the host's function key.
        if (!HttpMethods.IsGet(context.Request.Method) || context.Request.QueryString.HasValue
            || context.GetEndpoint()?.Metadata.GetMetadata<HotTokenRoute>() is null
            || context.Request.RouteValues["id"] is not string id || !WorkspaceId.IsValid(id))
        {
            return null;
        }

        var check = await keys.VerifyAsync(context.Request, context.RequestAborted);
        return check.Caller is { Role: Roles.Partner } partner
            && tokens.Hot(new WorkspaceRef(partner.PartnerId, id)) is { Withheld: false } hot && limits.RefusedUntil(hot.AccessToken) is null ? hot : null;
    }
}
