using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using ProcoreConnect.Clients;
using ProcoreConnect.ConnectLinks;
using ProcoreConnect.Http;
using ProcoreConnect.Procore;
using ProcoreConnect.Secrets;
using ProcoreConnect.Tokens;
using ProcoreConnect.Validation;

namespace ProcoreConnect.OAuth;

/// <summary>
/// The end of the code flow (<c>GET /api/oauth/callback</c>): takes the state, exchanges the code,
/// connects the workspace, uses up or frees the connect link the sign-in came from, and answers
/// the page (or the partner's return URL).
/// </summary>
public sealed class OAuthCallback(
    OAuthStateStore states,
    ConnectFlow flow,
    ConnectLinkStore links,
    OAuthClientRepository clients,
    ISecretStore secrets,
    ProcoreOAuthClient oauth,
    TokenService tokens,
    ConnectionValidator validator,
    Telemetry.ConnectTelemetry telemetry,
    TimeProvider time,
    ILogger<OAuthCallback> logger)
{
    /// <summary>Handles Procore's redirect back with a code (or an error).</summary>
    public async Task<IResult> HandleAsync(string? state, string? code, string? error, CancellationToken cancellationToken)
    {
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
        // A sign-in from a connect link connects only while it holds the link: "once" stays once
        // even if a claim lapsed and the link was pressed again meanwhile.
        if (pending.Link is { } link && !await links.IsClaimedByAsync(link, pending, cancellationToken))
        {
            return LinkReleased(workspace.Id);
        }

        if (!string.IsNullOrEmpty(error) || string.IsNullOrEmpty(code))
        {
            var denied = error == "access_denied";
            logger.LogWarning("OAuth callback for workspace {WorkspaceId} carried no code ({Error})", workspace.Id, error ?? "none");
            telemetry.Callback(denied ? "access_denied" : "no_code");
            var reason = denied ? "Access was denied in Procore, so nothing was connected." : "Procore did not return an authorization code.";
            return await FinishAsync(pending, denied ? ConnectLinkOutcome.Denied : ConnectLinkOutcome.Failed, "failed", 400, "Not connected", reason, retryable: true);
        }

        // A link is used up before its code is exchanged, atomically with checking that this
        // sign-in still holds it: a press in between cannot start a second connection.
        if (pending.Link is { } held && await links.UseAsync(held, pending, time.GetUtcNow(), cancellationToken) is null)
        {
            return LinkReleased(workspace.Id);
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
            return result.IsInvalidClient
                ? await FinishAsync(pending, ConnectLinkOutcome.Failed, "failed", 502, "Not connected",
                    "Procore refused the app's client id or secret. Check the connection settings (and that the environment matches the app's credentials).", retryable: false)
                : await FinishAsync(pending, ConnectLinkOutcome.Failed, "failed", 502, "Not connected", $"Procore refused the sign-in ({result.Error}).", retryable: true);
        }

        var connected = await tokens.ConnectAsync(workspace, result.Tokens!, CancellationToken.None);
        logger.LogInformation("Workspace {WorkspaceId} connected", workspace.Id);
        telemetry.Callback("connected");
        var report = await validator.ValidateAsync(connected.Ref, CancellationToken.None);
        var message = report.Ok
            ? $"Procore company {connected.CompanyId} is reachable. You can close this window."
            : "Connected, but the connection check found a problem: " + report.Fix;
        return await FinishAsync(
            pending, ConnectLinkOutcome.Connected, report.Ok ? "connected" : "connected_with_warnings", 200, "Connected to Procore", message, retryable: false);
    }

    private HtmlPage LinkReleased(string workspaceId)
    {
        logger.LogWarning("OAuth callback for workspace {WorkspaceId} refused: its connect link no longer waits for this sign-in", workspaceId);
        telemetry.Callback("link_released");
        return CallbackPage.Render(400, "This sign-in link is no longer valid",
            "The connect link it was started from was used or started again since. Nothing was changed.");
    }

    // Frees the link after a denied or failed sign-in (a connected one used it up before the
    // exchange), then answers the page, or the return URL with the outcome (connected,
    // connected_with_warnings, failed).
    private async Task<IResult> FinishAsync(
        OAuthState pending, ConnectLinkOutcome outcome, string returnStatus, int status, string heading, string message, bool retryable)
    {
        var retry = "You can start again from your platform.";
        if (pending.Link is { } link && outcome != ConnectLinkOutcome.Connected
            && await links.ReleaseAsync(link, pending, outcome, CancellationToken.None) is { } released
            && released.StatusAt(time.GetUtcNow()) == ConnectLinkStatus.Open)
        {
            retry = "You can try again: open the link you were sent once more (it works until "
                + released.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) + ").";
        }

        if (pending.ReturnUrl is { } returnUrl)
        {
            return Results.Redirect(QueryHelpers.AddQueryString(returnUrl.ToString(), new Dictionary<string, string?>
            {
                ["workspaceId"] = pending.Workspace.Id,
                ["status"] = returnStatus,
            }));
        }

        return CallbackPage.Render(status, heading, retryable ? message + " " + retry : message);
    }
}
