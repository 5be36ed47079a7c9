using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using ProcoreConnect.Procore;
using ProcoreConnect.Security;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tokens;

/// <summary>
/// Answers <c>GET /api/workspaces/{id}/token</c> before the rest of the pipeline when the answer is
/// a plain success: a valid partner API key and a token held in memory. Everything else (no key, a
/// refused or admin key, a bearer token, a token to load or refresh, a malformed id) goes on down
/// the pipeline unchanged, so refusals, their logging, problem details and the endpoint's own work
/// stay where they were. The key is verified exactly as <see cref="ApiKeyAuthenticationHandler"/>
/// verifies it (the same store, cache and revocation), and a partner key is what the route's
/// policy requires. Measured: the status-code pages, refusal logging, authentication,
/// authorization and rate-limiter middleware, a principal per call and the endpoint's result
/// machinery were most of what separated a hot token call from a bare endpoint (see
/// docs/benchmarks.md, "Hot path").
/// </summary>
public sealed class HotTokenLane(RequestDelegate next, PartnerKeyStore keys, TokenReader tokens, IOptions<ProcoreOptions> procore, IOptions<JsonOptions> json)
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
        if (!HttpMethods.IsGet(context.Request.Method)
            || context.GetEndpoint()?.Metadata.GetMetadata<HotTokenRoute>() is null
            || context.Request.RouteValues["id"] is not string id || !WorkspaceId.IsValid(id)
            || ApiKeyAuthenticationHandler.KeyOf(context.Request) is not { } presented)
        {
            return null;
        }

        var (partnerId, _, _) = await keys.VerifyAsync(presented, context.RequestAborted);
        return partnerId is null ? null : tokens.Hot(new WorkspaceRef(partnerId, id)) is { Withheld: false } hot ? hot : null;
    }
}
