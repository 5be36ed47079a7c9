using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using ProcoreConnect.Clients;
using ProcoreConnect.Http;
using ProcoreConnect.Procore;
using ProcoreConnect.Secrets;
using ProcoreConnect.Tokens;
using ProcoreConnect.Validation;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.OAuth;

/// <summary>The authorization code flow: start it for a workspace, and land from Procore.</summary>
public static class ConnectEndpoints
{
    /// <summary><c>GET /api/workspaces/{id}/connect?returnUrl=</c>: redirects the browser to Procore's sign-in.</summary>
    public static async Task<Results<RedirectHttpResult, ValidationProblem, ProblemHttpResult>> Connect(
        string id,
        string? returnUrl,
        System.Security.Claims.ClaimsPrincipal user,
        ConnectFlow flow,
        CancellationToken cancellationToken)
    {
        if (!WorkspaceId.IsValid(id))
        {
            return Problems.InvalidWorkspaceId();
        }

        if (!flow.TryReturnUrl(returnUrl, out var returnTo))
        {
            return InvalidReturnUrl();
        }

        var target = await flow.FindAsync(new WorkspaceRef(Security.Caller.PartnerId(user)!, id), key: null, cancellationToken);
        if (!target.CanConnect)
        {
            return Refused(id, target);
        }

        var authorize = await flow.BeginAsync(target, flow.NewState(target, returnTo), cancellationToken);
        return TypedResults.Redirect(authorize.ToString());
    }

    /// <summary>The 400 for a <c>returnUrl</c> off the allow-list.</summary>
    public static ValidationProblem InvalidReturnUrl() =>
        Problems.Field("returnUrl", "Must be an absolute URL on an allowed origin (OAuth:AllowedReturnOrigins).");

    /// <summary>The problem for a workspace that cannot start the code flow.</summary>
    public static ProblemHttpResult Refused(string id, ConnectTarget target) => target.Refusal switch
    {
        ConnectRefusal.ClientCredentials => Problems.Conflict("This workspace uses client_credentials: it connects without a browser (call /token or /validate)."),
        ConnectRefusal.ClientGone => Problems.Conflict($"The workspace's OAuth client '{target.Workspace!.Client.Name}' no longer exists."),
        _ => Problems.WorkspaceNotFound(id),
    };

    /// <summary><c>GET /api/oauth/callback</c>: Procore's redirect back with a code (or an error).</summary>
    public static async Task<IResult> Callback(
        string? state,
        string? code,
        string? error,
        OAuthStateStore states,
        ConnectFlow flow,
        OAuthClientRepository clients,
        ISecretStore secrets,
        ProcoreOAuthClient oauth,
        TokenService tokens,
        ConnectionValidator validator,
        Telemetry.ConnectTelemetry telemetry,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("ProcoreConnect.OAuth.Callback");
        var pending = string.IsNullOrEmpty(state) || state.Length > 256 ? null : await states.TakeAsync(state, cancellationToken);
        if (pending is null)
        {
            logger.LogWarning("OAuth callback refused: unknown, expired or already used state");
            telemetry.Callback("invalid_state");
            return CallbackPage.Render(400, "This sign-in link is no longer valid",
                "It is unknown, expired (links last 10 minutes) or was already used. Start the connection again from your platform.");
        }

        var target = await flow.FindAsync(pending.Workspace, pending.WorkspaceKey, cancellationToken);
        if (!target.CanConnect)
        {
            return CallbackPage.Render(404, "Workspace not found", "The workspace this sign-in was for no longer exists or no longer uses the browser flow.");
        }

        var (workspace, client) = (target.Workspace, target.Client);

        if (!string.IsNullOrEmpty(error) || string.IsNullOrEmpty(code))
        {
            var reason = error == "access_denied" ? "Access was denied in Procore, so nothing was connected." : "Procore did not return an authorization code.";
            logger.LogWarning("OAuth callback for workspace {WorkspaceId} carried no code ({Error})", workspace.Id, error ?? "none");
            telemetry.Callback(error == "access_denied" ? "access_denied" : "no_code");
            return Finish(pending, 400, "Not connected", reason + " You can start again from your platform.", "failed");
        }

        var clientSecret = await secrets.GetAsync(client.ClientSecret, cancellationToken);
        var result = await oauth.ExchangeCodeAsync(
            workspace.Environment, client.ClientId, clientSecret, code, pending.RedirectUri, pending.CodeVerifier, cancellationToken);
        if (!result.Succeeded)
        {
            logger.LogWarning("Code exchange for workspace {WorkspaceId} failed: {Status} {Error}", workspace.Id, result.Status, result.Error);
            if (result.IsInvalidClient)
            {
                await clients.MarkRefusedAsync(client.Ref, client.ClientSecret.Version, CancellationToken.None);
            }

            telemetry.Callback("exchange_failed");
            var why = result.IsInvalidClient
                ? "Procore refused the app's client id or secret. Check the connection settings (and that the environment matches the app's credentials)."
                : $"Procore refused the sign-in ({result.Error}). Start again from your platform.";
            return Finish(pending, 502, "Not connected", why, "failed");
        }

        var connected = await tokens.ConnectAsync(workspace, result.Tokens!, CancellationToken.None);
        logger.LogInformation("Workspace {WorkspaceId} connected", workspace.Id);
        telemetry.Callback("connected");
        var report = await validator.ValidateAsync(connected.Ref, CancellationToken.None);
        var message = report.Ok
            ? $"Procore company {connected.CompanyId} is reachable. You can close this window."
            : "Connected, but the connection check found a problem: " + report.Fix;
        return Finish(pending, 200, "Connected to Procore", message, report.Ok ? "connected" : "connected_with_warnings");
    }

    private static IResult Finish(OAuthState pending, int status, string heading, string message, string outcome) =>
        pending.ReturnUrl is { } returnUrl
            ? Results.Redirect(QueryHelpers.AddQueryString(returnUrl.ToString(), new Dictionary<string, string?>
            {
                ["workspaceId"] = pending.Workspace.Id,
                ["status"] = outcome,
            }))
            : CallbackPage.Render(status, heading, message);
}
