using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
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
        WorkspaceRepository workspaces,
        OAuthClientRepository clients,
        OAuthStateStore states,
        ProcoreOAuthClient oauth,
        IOptions<OAuthOptions> options,
        Hosting.PublicUrls urls,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!WorkspaceId.IsValid(id))
        {
            return Problems.InvalidWorkspaceId();
        }

        Uri? returnTo = null;
        if (returnUrl is not null && !ReturnUrls.TryAllow(returnUrl, options.Value.AllowedReturnOrigins, out returnTo))
        {
            return Problems.Field("returnUrl", "Must be an absolute URL on an allowed origin (OAuth:AllowedReturnOrigins).");
        }

        var workspace = await workspaces.FindVisibleAsync(new WorkspaceRef(Security.Caller.PartnerId(user)!, id), cancellationToken);
        if (workspace is null)
        {
            return Problems.WorkspaceNotFound(id);
        }

        if (workspace.AuthFlow != AuthFlow.AuthorizationCode)
        {
            return Problems.Conflict("This workspace uses client_credentials: it connects without a browser (call /token or /validate).");
        }

        var client = await clients.FindAsync(workspace.Client, cancellationToken);
        if (client is not { Status: OAuthClientStatus.Active })
        {
            return Problems.Conflict($"The workspace's OAuth client '{workspace.Client.Name}' no longer exists.");
        }

        var state = new OAuthState
        {
            Value = Pkce.RandomValue(),
            Workspace = workspace.Ref,
            WorkspaceKey = workspace.Key,
            RedirectUri = client.RedirectUri ?? urls.Callback,
            CodeVerifier = options.Value.UsePkce ? Pkce.RandomValue() : null,
            ReturnUrl = returnTo,
            ExpiresAt = time.GetUtcNow() + options.Value.StateLifetime,
        };
        await states.SaveAsync(state, cancellationToken);

        var query = new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = client.ClientId,
            ["redirect_uri"] = state.RedirectUri.ToString(),
            ["state"] = state.Value,
        };
        if (state.CodeVerifier is not null)
        {
            query["code_challenge"] = Pkce.Challenge(state.CodeVerifier);
            query["code_challenge_method"] = "S256";
        }

        return TypedResults.Redirect(QueryHelpers.AddQueryString(oauth.AuthorizeEndpoint(workspace.Environment).ToString(), query));
    }

    /// <summary><c>GET /api/oauth/callback</c>: Procore's redirect back with a code (or an error).</summary>
    public static async Task<IResult> Callback(
        string? state,
        string? code,
        string? error,
        OAuthStateStore states,
        WorkspaceRepository workspaces,
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

        var workspace = await workspaces.FindVisibleAsync(pending.Workspace, cancellationToken);
        var client = workspace is null ? null : await clients.FindAsync(workspace.Client, cancellationToken);
        if (workspace is null || workspace.Key != pending.WorkspaceKey || workspace.AuthFlow != AuthFlow.AuthorizationCode
            || client is not { Status: OAuthClientStatus.Active })
        {
            return CallbackPage.Render(404, "Workspace not found", "The workspace this sign-in was for no longer exists or no longer uses the browser flow.");
        }

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
