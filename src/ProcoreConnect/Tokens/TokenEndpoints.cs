using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ProcoreConnect.Http;
using ProcoreConnect.OpenApi;
using ProcoreConnect.Procore;
using ProcoreConnect.Security;
using ProcoreConnect.Workspaces;
using static ProcoreConnect.OpenApi.ResponseDoc;

namespace ProcoreConnect.Tokens;

/// <summary>The token API partners call whenever they need to talk to Procore.</summary>
public static class TokenEndpoints
{
    /// <summary>
    /// Maps the token API, for the workspace's partner. The read is the hot path and has no rate
    /// limit (its Procore calls are single-flight and honour Procore's own limits); the forced
    /// refresh has, since every call of it spends a refresh.
    /// </summary>
    public static IEndpointRouteBuilder MapTokens(this IEndpointRouteBuilder api)
    {
        var workspace = api.MapWorkspaceGroup().WithTags(ApiTags.Tokens);
        workspace.MapGet("token", GetToken)
            .WithName("GetToken")
            .WithMetadata(HotTokenRoute.Instance)
            .WithSummary("A valid access token for the workspace")
            .WithDescription("Refreshed first when within `Tokens:RefreshLeadTime` of expiry; concurrent calls cause one request at Procore. "
                + "Call Procore with `Authorization: Bearer {accessToken}` and `Procore-Company-Id: {companyId}`. Answers `Cache-Control: no-store`. "
                + "A `409` says why in its `code`.")
            .WithResponses(static () => Responses("A token valid for a while yet."));
        workspace.MapPost("token/refresh", RefreshToken)
            .WithName("RefreshToken")
            .WithSummary("A new access token now")
            .WithDescription("Refreshes at Procore whatever the held token's expiry (after a permission change, or when Procore refused a token). "
                + "Concurrent calls cause one refresh and all get its token; while refreshes fail no old token is handed back.")
            .WithMetadata(RateLimited.PerPartner) // a refresh at Procore and a secret write on every call
            .WithResponses(static () => Responses("A token issued by this call's refresh (or a concurrent one)."));
        return api;
    }

    /// <summary><c>GET /api/workspaces/{id}/token</c>.</summary>
    public static Task<Results<Ok<TokenResponse>, ProblemHttpResult>> GetToken(
        WorkspaceRoute route, TokenReader tokens, IOptions<ProcoreOptions> procore, ProcoreRateLimits limits, TimeProvider time, HttpResponse response,
        CancellationToken cancellationToken) =>
        AnswerAsync(route, tokens.GetTokenAsync, procore.Value, limits, time, response, cancellationToken);

    /// <summary><c>POST /api/workspaces/{id}/token/refresh</c>: a token issued now, whatever the current one's expiry.</summary>
    public static Task<Results<Ok<TokenResponse>, ProblemHttpResult>> RefreshToken(
        WorkspaceRoute route, TokenReader tokens, IOptions<ProcoreOptions> procore, ProcoreRateLimits limits, TimeProvider time, HttpResponse response,
        CancellationToken cancellationToken) =>
        AnswerAsync(route, tokens.RefreshNowAsync, procore.Value, limits, time, response, cancellationToken);

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> AnswerAsync(
        WorkspaceRoute route, Func<WorkspaceRef, CancellationToken, Task<TokenOutcome>> get, ProcoreOptions procore,
        ProcoreRateLimits limits, TimeProvider time, HttpResponse response, CancellationToken cancellationToken)
    {
        var id = route.Id;
        response.Headers.CacheControl = "no-store";
        var outcome = await get(route.Ref, cancellationToken);
        if (Refusal(id, outcome, time, response) is { } refused)
        {
            return refused;
        }

        // A token Procore refused moments ago, that may not be replaced yet, would only earn 401s.
        if (limits.RefusedUntil(outcome.Token!.AccessToken) is { } until)
        {
            RetryAfter.Set(response, until, time);
            return RefusedByProcore(id);
        }

        return TypedResults.Ok(TokenResponse.From(outcome.Token!, procore));
    }

    /// <summary>The 503 for a token Procore refused (401) that cannot be replaced yet (a client's is fetched anew at most once a minute).</summary>
    public static ProblemHttpResult RefusedByProcore(string id) => TypedResults.Problem(
        $"Procore answered 401 to workspace '{id}''s token, which was fetched less than a minute ago, and its client's token is fetched anew at most once a minute; "
        + "the refused token is neither sent nor handed out. Retry after Retry-After seconds, when a new token will be fetched.",
        statusCode: StatusCodes.Status503ServiceUnavailable, title: "Procore refused a new token",
        extensions: new Dictionary<string, object?> { ["code"] = "procore_refused_token" });

    /// <summary>
    /// The problem for an outcome whose token may not be used for the partner (none, or withheld),
    /// with <c>Retry-After</c> when waiting helps; null when the token may be used.
    /// </summary>
    public static ProblemHttpResult? Refusal(string id, TokenOutcome outcome, TimeProvider time, HttpResponse response)
    {
        if (outcome.Token is { Withheld: true })
        {
            return WithheldProblem(id);
        }

        if (outcome.Token is not null)
        {
            return null;
        }

        if (outcome.Status == TokenStatus.Busy)
        {
            response.Headers.RetryAfter = "2";
        }
        else if (outcome.RetryAt is { } retryAt && outcome.Status is TokenStatus.RefreshCoolingDown or TokenStatus.ProcoreUnavailable)
        {
            RetryAfter.Set(response, retryAt, time);
        }

        return Problem(id, outcome);
    }

    /// <summary>The 403 for a workspace on a public client-credentials client that serves more than one partner.</summary>
    public static ProblemHttpResult WithheldProblem(string id) => TypedResults.Problem(
        $"Workspace '{id}' uses a public client-credentials client that the operator shares between partners: its token reaches every company "
        + "that installed the app, other partners' customers among them, so it is not handed out. Use an OAuth client of your own, or ask the operator.",
        statusCode: StatusCodes.Status403Forbidden, title: "Token withheld",
        extensions: new Dictionary<string, object?> { ["code"] = "token_withheld" });

    /// <summary>The problem for a token outcome without a token.</summary>
    public static ProblemHttpResult Problem(string id, TokenOutcome outcome) => outcome.Status switch
    {
        TokenStatus.NotFound => Problems.WorkspaceNotFound(id),
        TokenStatus.GrantRevoked => TypedResults.Problem(
            outcome.Detail, statusCode: StatusCodes.Status403Forbidden, title: "Company not granted",
            extensions: new Dictionary<string, object?> { ["code"] = Common.WireName.Of(outcome.Status) }),
        TokenStatus.ProcoreUnavailable => TypedResults.Problem(outcome.Detail, statusCode: StatusCodes.Status502BadGateway, title: "Procore unavailable"),
        TokenStatus.Busy => TypedResults.Problem(outcome.Detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Refresh in progress"),
        TokenStatus.RefreshCoolingDown => TypedResults.Problem(
            outcome.Detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Backing off after failed refreshes",
            extensions: new Dictionary<string, object?> { ["code"] = Common.WireName.Of(outcome.Status), ["retryAt"] = outcome.RetryAt }),
        _ => TypedResults.Problem(
            outcome.Detail,
            statusCode: StatusCodes.Status409Conflict,
            title: outcome.Status switch
            {
                TokenStatus.NeedsReauthorization => "Needs reauthorization",
                TokenStatus.InvalidClient => "Client credentials refused",
                _ => "Not connected",
            },
            extensions: new Dictionary<string, object?> { ["code"] = Common.WireName.Of(outcome.Status) }),
    };

    /// <summary>The 502 of a call Procore failed, for the descriptions of every endpoint that asks Procore for a token.</summary>
    public static ResponseDoc ProcoreUnavailable => ResponseDoc.Problem(
        Problem(ApiExamples.WorkspaceId, new TokenOutcome(TokenStatus.ProcoreUnavailable, Detail: "Procore's token endpoint failed (server_error); retry later.")),
        "Procore failed or could not be reached.");

    private static IReadOnlyList<ResponseDoc> Responses(string ok) =>
    [
        Ok(StatusCodes.Status200OK, ok, Examples.Token),
        WorkspaceRoutes.InvalidId,
        WorkspaceRoutes.NotFound,
        .. TokenProblems,
    ];

    /// <summary>The answers of a call that needs the workspace's token and gets none, for the descriptions of every endpoint that hands one out or uses one.</summary>
    public static IReadOnlyList<ResponseDoc> TokenProblems =>
    [
        TokenProblem(TokenStatus.NotConnected, TokenEligibility.NotConnectedDetail(ApiExamples.WorkspaceId),
            "`not_connected`: never connected, or disabled."),
        TokenProblem(TokenStatus.NeedsReauthorization, "Procore refused the refresh token; connect the workspace again.",
            "`needs_reauthorization`: the grant is gone, a person must connect again."),
        TokenProblem(TokenStatus.InvalidClient, $"The workspace's OAuth client '{ApiExamples.ClientName}' no longer exists.",
            "`invalid_client`: Procore refused the client's credentials, or the client was deleted."),
        ResponseDoc.Problem(WithheldProblem(ApiExamples.WorkspaceId),
            "`token_withheld`: the workspace's public client-credentials client serves several partners; its token, which reaches all their customers, is shown to none."),
        TokenProblem(TokenStatus.GrantRevoked, "The operator does not grant you company 1002 on public OAuth client 'shared-dmsa' (any more), so this workspace gets no token.",
            "`grant_revoked`: the workspace's client is public and the operator no longer grants the caller its company."),
        ProcoreUnavailable with { Description = "Procore failed and no valid token is left." },
        ResponseDoc.Problem(RefusedByProcore(ApiExamples.WorkspaceId),
            "`procore_refused_token`: Procore answered `401` to a client-credentials token fetched less than a minute ago, which cannot be replaced yet: "
            + "it is neither handed out nor sent.")
            with { Header = ("Retry-After", "Seconds until a new token may be fetched.") },
        TokenProblem(TokenStatus.Busy, "Another instance is refreshing this workspace's token; retry shortly.", "Another instance is refreshing; retry after `Retry-After` seconds.")
            with { Header = ("Retry-After", "Seconds to wait.") },
        ResponseDoc.Problem(
            Problem(ApiExamples.WorkspaceId, new TokenOutcome(TokenStatus.RefreshCoolingDown, Detail: "The last 3 refreshes failed; the next is tried after retryAt.", RetryAt: ApiExamples.Later)),
            "`refresh_cooling_down`: refreshes keep failing and the service backs off (30 s doubling to 30 min); retry after `Retry-After` seconds.")
            with { Header = ("Retry-After", "Seconds to wait.") },
    ];

    private static ResponseDoc TokenProblem(TokenStatus status, string detail, string when) =>
        ResponseDoc.Problem(Problem(ApiExamples.WorkspaceId, new TokenOutcome(status, Detail: detail)), when);

    private static class Examples
    {
        public static readonly TokenResponse Token = new(
            "(a Procore access token)", "Bearer", ApiExamples.Later.AddMinutes(90), 1001, new Uri("https://api.procore.com"));
    }
}
