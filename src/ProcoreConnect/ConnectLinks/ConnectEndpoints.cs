using Microsoft.AspNetCore.Http.HttpResults;
using ProcoreConnect.Http;
using ProcoreConnect.OAuth;
using ProcoreConnect.OpenApi;
using ProcoreConnect.Workspaces;
using static ProcoreConnect.OpenApi.ResponseDoc;

namespace ProcoreConnect.ConnectLinks;

/// <summary>The end of the authorization code flow (Procore's redirect back), and the refusals every way in shares.</summary>
public static class ConnectEndpoints
{
    /// <summary>Maps <c>GET /api/oauth/callback</c>, anonymous: Procore sends the person's browser back to it.</summary>
    public static IEndpointRouteBuilder MapOAuthCallback(this IEndpointRouteBuilder api)
    {
        api.MapGet("oauth/callback", Callback)
            .WithName("OAuthCallback")
            // Procore's redirect, with whatever it adds (code, state, error, error_description, …): a refusal would strand the sign-in.
            .AcceptsAnyQuery()
            .WithTags(ApiTags.Connecting)
            .WithSummary("Procore's redirect back (the redirect_uri)")
            .WithDescription("For the person's browser, anonymous, and only in the browser that pressed Connect (its sign-in cookie): exchanges the code, "
                + "checks that the new grant sees the workspace's company (else revokes it), stores the tokens, revokes the grant they replace, marks the "
                + "workspace `connected` and validates it. Answers a small HTML page, or redirects to the `returnUrl` given to connect.")
            .WithResponses(static () =>
            [
                Html(StatusCodes.Status200OK, "Connected (the page says whether the connection check found a problem)."),
                Redirect("To the `returnUrl` given to connect, with `workspaceId` and `status` (`connected`, `connected_with_warnings` or `failed`).",
                    "https://partner.example.com/done?workspaceId=acme-hq&status=connected"),
                Html(StatusCodes.Status400BadRequest, "The state is unknown, expired or used; the browser is not the one that pressed Connect (nothing is exchanged); "
                    + "the link expired; or Procore sent no code (`access_denied`)."),
                Html(StatusCodes.Status403Forbidden, "The account that signed in cannot see the workspace's company: its grant was revoked, and the workspace shows `company_not_visible`."),
                Html(StatusCodes.Status404NotFound, "The workspace no longer exists or no longer uses the browser flow."),
                Html(StatusCodes.Status409Conflict, "The workspace changed while the person signed in; the new grant was revoked."),
                Html(StatusCodes.Status502BadGateway, "Procore refused the code exchange, or could not confirm the company."),
            ]);
        return api;
    }

    /// <summary>The 400 for a <c>returnUrl</c> off the allow-list.</summary>
    public static ValidationProblem InvalidReturnUrl() =>
        Problems.Field("returnUrl", ReturnUrls.Rule);

    /// <summary>The problem for a workspace that cannot start the code flow.</summary>
    public static ProblemHttpResult Refused(string id, ConnectTarget target) => target.Refusal switch
    {
        ConnectRefusal.ClientCredentials => Problems.Conflict("This workspace uses client_credentials: it connects without a browser (call /token or /validate)."),
        ConnectRefusal.ClientGone => Problems.Conflict($"The workspace's OAuth client '{target.Workspace!.Client.Name}' no longer exists."),
        _ => Problems.WorkspaceNotFound(id),
    };

    /// <summary>
    /// <c>GET /api/oauth/callback</c>: Procore's redirect back with a code (or an error). The code is
    /// exchanged only in the browser that pressed Connect (its sign-in cookie).
    /// </summary>
    public static Task<IResult> Callback(
        string? state, string? code, string? error, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "error_description")] string? errorDescription,
        HttpRequest request, OAuthCallback callback, CancellationToken cancellationToken) =>
        callback.HandleAsync(request, new CallbackParameters(state, code, error, errorDescription), cancellationToken);
}
