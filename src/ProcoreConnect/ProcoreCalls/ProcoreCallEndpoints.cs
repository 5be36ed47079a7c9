using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ProcoreConnect.Http;
using ProcoreConnect.OpenApi;
using ProcoreConnect.Procore;
using ProcoreConnect.Security;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;
using static ProcoreConnect.OpenApi.ResponseDoc;

namespace ProcoreConnect.ProcoreCalls;

/// <summary>Calls to Procore through the service (<c>/api/workspaces/{id}/procore/{path}</c>), their log and their health.</summary>
public static class ProcoreCallEndpoints
{
    /// <summary>The methods the proxy forwards (CONNECT, TRACE and upgrades are not Procore API calls).</summary>
    public static readonly IReadOnlyList<string> Methods = [HttpMethods.Get, HttpMethods.Head, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete];

    /// <summary>The proxy's route under the workspace's group: <c>path</c> is Procore's, below its API base.</summary>
    public const string PathTemplate = "procore/{**path}";

    private const string PassThroughDescription =
        "Forwards the call to the workspace's environment's API host, at `path` (only `rest/…` and `vapid/…`) with the query as sent, "
        + "adding `Authorization: Bearer {the workspace's token}` and `Procore-Company-Id: {its company}`. Only content and negotiation headers "
        + "are passed on (`Accept*`, `Content-*`, `If-*`, `Range`, `Prefer`, `User-Agent`, `Idempotency-Key`): never your API key, `Authorization` or cookies. "
        + "Bodies stream both ways. Procore's answer comes back as it is, without `Set-Cookie` and hop-by-hop headers: any status, any content type. "
        + "A `401` from Procore makes the service refresh the token once (single flight) and send the call again when its body is at most "
        + "`ProcoreCalls:ReplayableBodyBytes` (64 KiB); otherwise the `401` comes back. While Procore's last answer said the token has no requests "
        + "left, the service answers `429` with `Retry-After` itself. Procore's own `429` and `503` come back with their `Retry-After`.";

    /// <summary>
    /// The largest request body the route takes: the Functions host's own limit (its Kestrel's
    /// <c>ScriptConstants.DefaultMaxRequestBodySize</c>, 100 MiB), not Kestrel's 30,000,000-byte default.
    /// </summary>
    public const long MaxRequestBodyBytes = 104_857_600;

    /// <summary>The function (and endpoint) name of the pass-through for <paramref name="method"/>, e.g. <c>CallProcoreGet</c>.</summary>
    public static string FunctionName(string method) => "CallProcore" + method[0] + method[1..].ToLowerInvariant();

    /// <summary>Maps the proxy and its log, for the workspace's partner.</summary>
    public static IEndpointRouteBuilder MapProcoreCalls(this IEndpointRouteBuilder api)
    {
        var workspace = api.MapWorkspaceGroup().WithTags(ApiTags.Tokens);
        // Its own budget: a partner's proxy calls neither spend nor wait on the configuration endpoints' window.
        var limited = RateLimited.PerPartnerOwn(
            "This partner's calls through the Procore proxy are limited",
            "`ProcoreCalls:PartnerLimit:Concurrency` (64) in flight and `PerSecond` (100, bursts of `Burst`, 200) per partner and instance); nothing was sent.",
            static services => services.GetRequiredService<ProcoreCallLimiter>().Limiter);
        foreach (var method in Methods)
        {
            // One function per method: a function is one operation of the API's description.
            workspace.MapMethods(PathTemplate, [method], CallProcore)
                .WithName(FunctionName(method))
                .WithMetadata(ProcorePassThrough.Instance, new ReservedPathParameter(ProcorePassThrough.PathParameter, ProcorePassThrough.PathDescription))
                .WithMetadata(limited)
                .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxRequestBodyBytes)) // routing sets it on the request
                .AcceptsAnyQuery() // Procore's query, forwarded as it came
                .WithSummary($"{method} on Procore's API as the workspace (a pass-through)")
                .WithDescription(PassThroughDescription)
                .WithResponses(PassThroughResponses);
        }

        workspace.MapGet("procore-calls", ListProcoreCalls)
            .WithName("ListProcoreCalls")
            .WithSummary("The workspace's recent calls through the proxy")
            .WithDescription("Newest first (by when each call ended), kept `ProcoreCalls:Retention` (14 days by default): method, path with the query's names but not their values, status, "
                + "duration, Procore's request id, rate limit remaining, and the forwarder's error when the call failed on its way. Never a token or a body. "
                + "Written in the background, about once a second; a list first writes the calls its instance holds. A flood of calls may leave some out: "
                + "the health summary's `notLogged` counts them.")
            .WithResponses(static () =>
            [
                Ok(StatusCodes.Status200OK, "A page of calls; pass `continuationToken` back for the next (null on the last page).", Examples.Page),
                Invalid(Problems.Field("pageSize", $"Must be an integer from 1 to {Paging.MaxPageSize}."), "`pageSize` or `continuationToken` is not valid."),
                WorkspaceRoutes.InvalidId,
                WorkspaceRoutes.NotFound,
            ]);
        workspace.MapGet("procore-calls/health", GetProcoreCallHealth)
            .WithName("GetProcoreCallHealth")
            .WithSummary("The workspace's calls as Procore's Integration Health counts them")
            .WithDescription("Over the last 14 days (Integration Health's window, counted by the hour): the calls through the proxy that ended 401, 403, 404 and 429, "
                + "each with its fix, and `notLogged`, how many of the window's calls the call log does not list (dropped under a flood, or a failed write).")
            .WithResponses(static () => [Ok(StatusCodes.Status200OK, "The counts and fixes.", Examples.Health), WorkspaceRoutes.InvalidId, WorkspaceRoutes.NotFound]);
        return api;
    }

    private static IReadOnlyList<ResponseDoc> PassThroughResponses() =>
    [
        When(StatusCodes.Status200OK, "Procore's answer, whatever its status and content (this line stands for all of them)."),
        Invalid(Problems.Field("path", "Only Procore API paths are forwarded: rest/… or vapid/…."),
            "The path is not a Procore API path, or holds dot segments, encoded slashes or dots, backslashes or control characters: nothing was sent."),
        Problem(CompanyScope.Mismatch(ApiExamples.WorkspaceId, 1001, "1002"),
            "`company_mismatch`: the query's `company_id` or the path's segment after `companies/` names a company other than the workspace's: nothing was sent."),
        WorkspaceRoutes.NotFound,
        Problem(ProcoreProxy.RateLimited(ApiExamples.WorkspaceId, ApiExamples.Later), "`procore_rate_limited`: Procore's last answer said the token has no requests left: nothing was sent.")
            with { Header = ("Retry-After", "Seconds until Procore's window resets.") },
        Problem(ProcoreProxy.FairShareUsed(ApiExamples.WorkspaceId, new ProcoreFairShareRefusal(ApiExamples.Later, 1200, 1200, 3, 3600, 720)),
            "`procore_fair_share`: the workspace's client-credentials token is shared with other workspaces, Procore says at most "
            + "`ProcoreCalls:FairShare:ReservePercent` (20%) of its limit is left, and this workspace has used its share: nothing was sent, the others go on.")
            with { Header = ("Retry-After", "Seconds until Procore's window resets.") },
        Problem(ProcoreProxy.AnswerTooLarge(ApiExamples.WorkspaceId, 209_715_200, 104_857_600),
            "`answer_too_large`: Procore's answer declared more bytes than this deployment relays (`ProcoreCalls:MaxAnswerBytes`, set in Azure, where the "
            + "Functions host holds a whole answer in memory); it was not read. Call Procore directly with the workspace's token for such files."),
        .. TokenEndpoints.TokenProblems,
    ];

    /// <summary><c>/api/workspaces/{id}/procore/{path}</c>, each method: Procore's answer, or the service's problem.</summary>
    public static async Task<Results<EmptyHttpResult, ProblemHttpResult, ValidationProblem>> CallProcore(
        WorkspaceRoute route, HttpContext context, ProcoreProxy proxy, CancellationToken cancellationToken)
    {
        var (path, refusal) = ProcorePath.Read(context.Request);
        if (path is null)
        {
            return Problems.Field("path", refusal!);
        }

        if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } || context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true })
        {
            return Problems.Field("Upgrade", "Procore's API takes plain HTTP calls; upgrades (WebSockets) are not forwarded.");
        }

        if (ProcoreCallTransformer.Unsendable(context.Request.Headers) is { } header)
        {
            return Problems.Field(header, "Headers sent on to Procore must be printable ASCII; encode other characters as the header's syntax allows (e.g. RFC 8187).");
        }

        return await proxy.ForwardAsync(context, route.Ref, path, cancellationToken) is { } problem ? problem : TypedResults.Empty;
    }

    /// <summary><c>GET /api/workspaces/{id}/procore-calls?pageSize=&amp;continuationToken=</c>.</summary>
    public static async Task<Results<Ok<ProcoreCallPage>, ValidationProblem>> ListProcoreCalls(
        string? pageSize, string? continuationToken, VisibleWorkspace workspace, ProcoreCallLog log, ProcoreCallRecorder recorder,
        IOptions<ProcoreCallOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var (size, storageToken, problem) = Paging.Read(pageSize, continuationToken);
        var cursor = storageToken is null ? null : CallCursor.Parse(storageToken);
        if (problem is not null || (storageToken is not null && cursor is null))
        {
            return problem ?? Problems.Field("continuationToken", "Not a token this API returned.");
        }

        await recorder.FlushAsync(cancellationToken);
        var retention = options.Value.Retention;
        var (calls, next) = await log.PageAsync(workspace.Value.Key, time.GetUtcNow() - retention, size, cursor, cancellationToken);
        return TypedResults.Ok(new ProcoreCallPage(calls, Paging.Encode(next?.ToString()), (int)retention.TotalDays));
    }

    /// <summary><c>GET /api/workspaces/{id}/procore-calls/health</c>.</summary>
    public static async Task<Ok<ProcoreCallHealth>> GetProcoreCallHealth(
        VisibleWorkspace workspace, ProcoreCallLog log, ProcoreCallRecorder recorder, TimeProvider time, CancellationToken cancellationToken)
    {
        await recorder.FlushAsync(cancellationToken);
        var since = ProcoreCallLog.Hour(time.GetUtcNow() - ProcoreCallHealth.Window);
        var counts = await log.CountAsync(workspace.Value.Key, since, cancellationToken);
        return TypedResults.Ok(ProcoreCallHealth.From(since, counts.Calls, counts.ByStatus(), counts.NotLogged));
    }

    private static class Examples
    {
        public static readonly ProcoreCallPage Page = new(
        [
            new ProcoreCall
            {
                At = ApiExamples.Created, Method = "GET", Path = "rest/v1.0/projects?company_id=&page=", Status = 200, AnsweredLocally = false,
                DurationMs = 182.4, ProcoreRequestId = "5d1c0f7e-3b8a-4f51-9a7e-0c2d4e6f8a91", RateLimitRemaining = 3581,
            },
        ], null, 14);

        public static readonly ProcoreCallHealth Health = ProcoreCallHealth.From(ApiExamples.Created, 1195, new Dictionary<int, int> { [403] = 12, [429] = 3 }, 0);
    }
}
