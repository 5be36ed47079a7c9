using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using ProcoreConnect.Http;
using ProcoreConnect.OAuth;

namespace ProcoreConnect.ConnectLinks;

/// <summary>
/// The end of the code flow (<c>GET /api/oauth/callback</c>): in the browser that pressed Connect
/// only, takes the state and the connect link, has the code turned into the workspace's grant
/// (<see cref="SignInCompletion"/>), settles the connect link, and answers the page (or the
/// partner's return URL).
/// </summary>
public sealed class OAuthCallback(
    OAuthStateStore states,
    ConnectFlow flow,
    ConnectLinkStore links,
    SignInCompletion completion,
    Telemetry.ConnectTelemetry telemetry,
    TimeProvider time,
    ILogger<OAuthCallback> logger)
{
    /// <summary>Handles Procore's redirect back with a code (or an error).</summary>
    public async Task<IResult> HandleAsync(HttpRequest request, CallbackParameters query, CancellationToken cancellationToken)
    {
        var value = query.State;
        var found = string.IsNullOrEmpty(value) || value.Length > 256 ? null : await states.FindAsync(value, cancellationToken);
        if (found is null)
        {
            return InvalidState();
        }

        var brand = await flow.BrandingAsync(found.Workspace.PartnerId, cancellationToken);
        // Checked before the state is taken: a code brought to another browser changes nothing,
        // and the person's own sign-in can still finish.
        if (!SignInCookie.Matches(request, value!, found.BrowserBinding, flow.SecureCookies))
        {
            logger.LogWarning("OAuth callback for workspace {WorkspaceId} refused: not the browser that pressed Connect (no or another sign-in cookie)", found.Workspace.Id);
            telemetry.Callback("other_browser");
            if (query.Code is not null || query.Error is not null)
            {
                // Procore came back in a browser that did not start this sign-in: whoever started it
                // must not finish it with the code a person got here, so the sign-in ends.
                await AbandonAsync(value!);
            }

            return CallbackPage.Render(400, "Start again from your link, in this browser",
                "This sign-in was started in another browser, or this browser lost its cookie, so nothing was connected. "
                + "Open the connect link you were sent in this browser and press Connect again.", brand);
        }

        var pending = await states.TakeAsync(value!, cancellationToken);
        if (pending is null)
        {
            return InvalidState();
        }

        request.HttpContext.Response.Cookies.Delete(SignInCookie.NameFor(value!, flow.SecureCookies), SignInCookie.Options(flow.SecureCookies, null));
        var target = await flow.FindAsync(pending.Workspace, pending.WorkspaceKey, cancellationToken);
        if (!target.CanConnect)
        {
            return CallbackPage.Render(404, "Workspace not found", "The workspace this sign-in was for no longer exists or no longer uses the browser flow.", brand);
        }

        var (workspace, client) = (target.Workspace, target.Client);
        // A sign-in from a connect link connects only while it holds the link, and before the link
        // expires: "once" stays once even if a claim lapsed and the link was pressed again meanwhile.
        if (pending.Link is { } link)
        {
            var held = await links.HeldByAsync(link, pending, cancellationToken);
            if (held is null)
            {
                return LinkReleased(workspace.Id, brand);
            }

            if (held.ExpiresAt <= time.GetUtcNow())
            {
                logger.LogWarning("OAuth callback for workspace {WorkspaceId} refused: its connect link expired during the sign-in", workspace.Id);
                telemetry.Callback("link_expired");
                return CallbackPage.Render(400, "This link has expired",
                    $"The connect link expired before the sign-in finished, so nothing was connected. Ask {brand.Name}, which sent it, for a new link.", brand);
            }
        }

        if (!string.IsNullOrEmpty(query.Error) || string.IsNullOrEmpty(query.Code))
        {
            var denied = query.Error == "access_denied";
            logger.LogWarning("OAuth callback for workspace {WorkspaceId} carried no code ({Error})", workspace.Id, query.LoggableError);
            telemetry.Callback(denied ? "access_denied" : "no_code");
            var reason = denied ? "Access was denied in Procore, so nothing was connected." : "Procore did not return an authorization code.";
            return await FinishAsync(pending, brand, denied ? ConnectLinkOutcome.Denied : ConnectLinkOutcome.Failed, "failed", 400, "Not connected", reason, retryable: true);
        }

        // A link is used up before its code is exchanged, atomically with checking that this
        // sign-in still holds it: a press in between cannot start a second connection.
        if (pending.Link is { } holding && await links.UseAsync(holding, pending, time.GetUtcNow(), cancellationToken) is null)
        {
            return LinkReleased(workspace.Id, brand);
        }

        var result = await completion.CompleteAsync(pending, workspace, client, query.Code, cancellationToken);
        telemetry.Callback(result.Label);
        return await FinishAsync(pending, brand, result.Outcome, result.ReturnStatus, result.Status, result.Heading, result.Message, result.Retryable);
    }

    // Ends a sign-in without exchanging anything: the state is taken, its link freed for another try.
    private async Task AbandonAsync(string value)
    {
        if (await states.TakeAsync(value, CancellationToken.None) is { Link: { } link } taken)
        {
            await links.ReleaseAsync(link, taken, ConnectLinkOutcome.Failed, CancellationToken.None);
        }
    }

    private HtmlPage InvalidState()
    {
        logger.LogWarning("OAuth callback refused: unknown, expired or already used state");
        telemetry.Callback("invalid_state");
        return CallbackPage.Render(400, "This sign-in is no longer valid",
            $"It is unknown, expired (a sign-in lasts {flow.SignInLifetime.TotalMinutes:0} minutes) or was already used. Open your connect link again, "
            + "or start the connection again from your platform.");
    }

    private HtmlPage LinkReleased(string workspaceId, PageBranding brand)
    {
        logger.LogWarning("OAuth callback for workspace {WorkspaceId} refused: its connect link no longer waits for this sign-in", workspaceId);
        telemetry.Callback("link_released");
        return CallbackPage.Render(400, "This sign-in is no longer valid",
            "The connect link it was started from was used since, or Connect was pressed on it again. Nothing was changed.", brand);
    }

    // Frees the link after a denied or failed sign-in (a connected one used it up before the
    // exchange), then answers the page, or the return URL with the outcome (connected,
    // connected_with_warnings, failed).
    private async Task<IResult> FinishAsync(
        OAuthState pending, PageBranding brand, ConnectLinkOutcome outcome, string returnStatus, int status, string heading, string message, bool retryable)
    {
        var retry = $"You can start again from {brand.Name}.";
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

        return CallbackPage.Render(status, heading, retryable ? message + " " + retry : message, brand);
    }
}
