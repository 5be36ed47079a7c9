using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ProcoreConnect.Http;
using ProcoreConnect.Procore;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tokens;

/// <summary>The token API partners call whenever they need to talk to Procore.</summary>
public static class TokenEndpoints
{
    /// <summary><c>GET /api/workspaces/{id}/token</c>.</summary>
    public static Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> GetToken(
        string id, System.Security.Claims.ClaimsPrincipal user, TokenReader tokens, IOptions<ProcoreOptions> procore, TimeProvider time, HttpResponse response,
        CancellationToken cancellationToken) =>
        AnswerAsync(id, user, tokens.GetTokenAsync, procore.Value, time, response, cancellationToken);

    /// <summary><c>POST /api/workspaces/{id}/token/refresh</c>: a token issued now, whatever the current one's expiry.</summary>
    public static Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> RefreshToken(
        string id, System.Security.Claims.ClaimsPrincipal user, TokenReader tokens, IOptions<ProcoreOptions> procore, TimeProvider time, HttpResponse response,
        CancellationToken cancellationToken) =>
        AnswerAsync(id, user, tokens.RefreshNowAsync, procore.Value, time, response, cancellationToken);

    private static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> AnswerAsync(
        string id, System.Security.Claims.ClaimsPrincipal user, Func<WorkspaceRef, CancellationToken, Task<TokenOutcome>> get, ProcoreOptions procore,
        TimeProvider time, HttpResponse response, CancellationToken cancellationToken)
    {
        if (!WorkspaceId.IsValid(id))
        {
            return Problems.InvalidWorkspaceId();
        }

        response.Headers.CacheControl = "no-store";
        var outcome = await get(new WorkspaceRef(Security.Caller.PartnerId(user)!, id), cancellationToken);
        if (outcome.Token is { Withheld: true })
        {
            return WithheldProblem(id);
        }

        if (outcome.Token is { } token)
        {
            return TypedResults.Ok(TokenResponse.From(token, procore));
        }

        if (outcome.Status == TokenStatus.Busy)
        {
            response.Headers.RetryAfter = "2";
        }
        else if (outcome.RetryAt is { } retryAt && outcome.Status is TokenStatus.RefreshCoolingDown or TokenStatus.ProcoreUnavailable)
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling((retryAt - time.GetUtcNow()).TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
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
}
