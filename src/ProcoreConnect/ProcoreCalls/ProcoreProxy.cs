using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ProcoreConnect.Procore;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;
using Yarp.ReverseProxy.Forwarder;

namespace ProcoreConnect.ProcoreCalls;

/// <summary>
/// Forwards one partner call to the workspace's Procore API host with YARP's forwarder: the
/// workspace's token (refreshed once, single flight, when Procore answers 401 and the body can be
/// sent again), answered locally with 429 while Procore said the token is out of requests, and
/// logged without its token, body or query values.
/// </summary>
public sealed class ProcoreProxy(
    IHttpForwarder forwarder,
    ProcoreCallInvoker invoker,
    TokenReader tokens,
    ProcoreRateLimits limits,
    IOptions<ProcoreOptions> procore,
    IOptions<ProcoreCallOptions> options,
    ProcoreCallRecorder recorder,
    TimeProvider time)
{
    /// <summary>Forwards the call; answers the problem when the service answers it itself, else null (Procore's answer is written).</summary>
    public async Task<ProblemHttpResult?> ForwardAsync(HttpContext context, WorkspaceRef workspace, ProcorePath path, CancellationToken cancellationToken)
    {
        var call = new CallInProgress(context, workspace, path, time);
        var outcome = await tokens.GetTokenAsync(workspace, cancellationToken);
        if (TokenEndpoints.Refusal(workspace.Id, outcome, time, context.Response) is { } refused)
        {
            // Not the caller's workspace: nothing of it is logged.
            return outcome.Status == TokenStatus.NotFound ? refused : call.AnsweredLocally(refused, recorder);
        }

        var token = outcome.Token!;
        call.WorkspaceKey = token.WorkspaceKey;
        if (CompanyScope.OtherCompany(path, token.CompanyId) is { } other)
        {
            // Refused like a bad path, before anything is sent: not a call of the log's.
            return CompanyScope.Mismatch(workspace.Id, token.CompanyId, other);
        }

        if (limits.BlockedUntil(token.AccessToken) is { } until)
        {
            RetryAt(context.Response, until);
            return call.AnsweredLocally(RateLimited(workspace.Id, until), recorder);
        }

        // Only a client's shared token has other workspaces to be fair to.
        if (token.Shared is not null && limits.AdmitShared(token.AccessToken, token.WorkspaceKey) is { } waits)
        {
            RetryAt(context.Response, waits.Until);
            return call.AnsweredLocally(FairShareUsed(workspace.Id, waits), recorder);
        }

        if (limits.RefusedUntil(token.AccessToken) is not null)
        {
            // Procore refused this token moments ago: a newer one, once one may be fetched, or nothing is sent.
            var (newer, answer) = await ReplaceAsync(context, workspace, token, call, cancellationToken);
            if (newer is null)
            {
                return answer;
            }

            token = newer;
        }

        var replayable = await BufferIfSmallAsync(context.Request, cancellationToken);
        var apiBase = procore.Value.For(token.Environment).ApiBaseUrl;
        var sent = await SendAsync(context, path, apiBase, token, holdUnauthorized: replayable);
        if (sent.Transformer.HeldUnauthorized)
        {
            var (newer, answer) = await ReplaceAsync(context, workspace, token, call, cancellationToken);
            if (newer is null)
            {
                return answer;
            }

            call.Retried = true;

            // A kept body is rewound; a request without one has a socket stream, which cannot seek.
            if (context.Request.Body.CanSeek)
            {
                context.Request.Body.Position = 0;
            }

            context.Response.Clear();
            sent = await SendAsync(context, path, apiBase, newer, holdUnauthorized: false);
        }

        if (sent.Transformer.WithheldLength is { } length)
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            call.Forwarded(sent.Error, sent.Transformer, recorder);
            return AnswerTooLarge(workspace.Id, length, options.Value.MaxAnswerBytes!.Value);
        }

        return call.Forwarded(sent.Error, sent.Transformer, recorder);
    }

    /// <summary>The 502 when Procore's answer is larger than the service relays: it was not read.</summary>
    public static ProblemHttpResult AnswerTooLarge(string id, long length, long max) => TypedResults.Problem(
        $"Procore's answer to workspace '{id}''s call is {length} bytes, more than the {max} this deployment relays (ProcoreCalls:MaxAnswerBytes); it was not read. "
        + "For a file this large, GET the workspace's token and call Procore (or the file store its answer redirects to) directly.",
        statusCode: StatusCodes.Status502BadGateway, title: "Procore's answer is too large to relay",
        extensions: new Dictionary<string, object?> { ["code"] = "answer_too_large", ["maxAnswerBytes"] = max });

    /// <summary>The 429 the service answers itself while Procore's last word was that the token has no requests left.</summary>
    public static ProblemHttpResult RateLimited(string id, DateTimeOffset until) => TypedResults.Problem(
        $"Procore said workspace '{id}''s token has no requests left until {until:u}; nothing was sent. Retry after Retry-After seconds.",
        statusCode: StatusCodes.Status429TooManyRequests, title: "Procore rate limit reached",
        extensions: new Dictionary<string, object?> { ["code"] = "procore_rate_limited", ["retryAt"] = until });

    /// <summary>The 429 the service answers itself when a workspace has used its share of a rate limit its token shares with other workspaces.</summary>
    public static ProblemHttpResult FairShareUsed(string id, ProcoreFairShareRefusal waits) => TypedResults.Problem(
        $"Workspace '{id}' has sent {waits.Used} calls in Procore's current window, its fair share ({waits.Share}) of the {waits.Limit} its client-credentials token "
        + $"allows and shares with {waits.Workspaces - 1} other workspace(s), and only {waits.Remaining} are left, kept for the others; nothing was sent. "
        + $"Retry after Retry-After seconds (the window resets at {waits.Until:u}); spread a bulk sync over time, or over the companies in turn.",
        statusCode: StatusCodes.Status429TooManyRequests, title: "Fair share of a shared Procore rate limit used",
        extensions: new Dictionary<string, object?> { ["code"] = "procore_fair_share", ["retryAt"] = waits.Until });

    // A token newer than the one Procore refused, or the call's answer when there is none: the token
    // API's refusal, or 503 while no newer token may be fetched (a DMSA's at most once a minute), for
    // sending the refused one, in this call or any other, would only earn more 401s on the app's
    // Integration Health.
    private async Task<(CachedToken? Newer, ProblemHttpResult? Answer)> ReplaceAsync(
        HttpContext context, WorkspaceRef workspace, CachedToken refused, CallInProgress call, CancellationToken cancellationToken)
    {
        var renewed = await RenewAsync(workspace, refused, cancellationToken);
        if (TokenEndpoints.Refusal(workspace.Id, renewed, time, context.Response) is { } lost)
        {
            return (null, call.AnsweredLocally(lost, recorder));
        }

        if (renewed.Token!.AccessToken != refused.AccessToken)
        {
            return (renewed.Token, null);
        }

        if (limits.RefusedUntil(refused.AccessToken) is not { } until)
        {
            until = time.GetUtcNow() + ClientTokenService.ForcedRefreshInterval;
            limits.Refused(refused.AccessToken, until);
        }

        RetryAt(context.Response, until);
        return (null, call.AnsweredLocally(TokenEndpoints.RefusedByProcore(workspace.Id), recorder));
    }

    private void RetryAt(HttpResponse response, DateTimeOffset until) =>
        Http.RetryAfter.Set(response, until, time);

    private async Task<(ForwarderError Error, ProcoreCallTransformer Transformer)> SendAsync(
        HttpContext context, ProcorePath path, Uri apiBase, CachedToken token, bool holdUnauthorized)
    {
        var destination = path.Under(apiBase);
        var transformer = new ProcoreCallTransformer(
            destination, apiBase, path.RoutePrefix, token.AccessToken, token.CompanyId, holdUnauthorized, options.Value.MaxAnswerBytes, limits);
        var config = new ForwarderRequestConfig { ActivityTimeout = options.Value.ActivityTimeout };
        var error = await forwarder.SendAsync(context, destination.GetLeftPart(UriPartial.Authority), invoker.Invoker, config, transformer);
        return (error, transformer);
    }

    // Another caller may have replaced the token Procore refused already: use that one, else refresh
    // once for everyone (TokenReader's refresh is single flight, and a DMSA's at most once a minute).
    private async Task<TokenOutcome> RenewAsync(WorkspaceRef workspace, CachedToken refused, CancellationToken cancellationToken)
    {
        var current = await tokens.GetTokenAsync(workspace, cancellationToken);
        return current.Token is { } token && token.AccessToken != refused.AccessToken
            ? current
            : await tokens.RefreshNowAsync(workspace, cancellationToken);
    }

    // A body can be sent twice only if it is kept; it is read whole now, so the first send never
    // leaves a half-read request behind when a 401 cuts it short.
    private async Task<bool> BufferIfSmallAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false } || request.ContentLength == 0)
        {
            return true;
        }

        if (request.ContentLength is not { } length || length > options.Value.ReplayableBodyBytes)
        {
            return false;
        }

        request.EnableBuffering(bufferThreshold: options.Value.ReplayableBodyBytes + 1);
        await request.Body.CopyToAsync(Stream.Null, cancellationToken);
        request.Body.Position = 0;
        return true;
    }
}
