using System.Globalization;
using ProcoreConnect.Clients;
using ProcoreConnect.OAuth;
using ProcoreConnect.Procore;
using ProcoreConnect.Secrets;
using ProcoreConnect.Tokens;
using ProcoreConnect.Validation;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.ConnectLinks;

/// <summary>
/// Turns the code a person's sign-in brought into the workspace's grant: exchanges it, keeps the
/// grant only if it sees the workspace's company, stores it (revoking the grant it replaces), and
/// checks the connection. A grant that is not kept is revoked at Procore.
/// </summary>
public sealed class SignInCompletion(
    SecretVersionCache secrets,
    ProcoreOAuthClient oauth,
    ClientRefusals refusals,
    SignInCompanyCheck companies,
    GrantConnector grants,
    GrantRevoker revoker,
    ValidationRecorder checks,
    ILogger<SignInCompletion> logger)
{
    /// <summary>Completes <paramref name="pending"/>'s sign-in for <paramref name="workspace"/> with <paramref name="code"/>.</summary>
    public async Task<SignInResult> CompleteAsync(OAuthState pending, Workspace workspace, OAuthClient client, string code, CancellationToken cancellationToken)
    {
        var clientSecret = await secrets.GetAsync(client.ClientSecret, cancellationToken);
        var result = await oauth.ExchangeCodeAsync(
            workspace.Environment, client.ClientId, clientSecret, code, pending.RedirectUri, pending.CodeVerifier, cancellationToken);
        if (!result.Succeeded)
        {
            return await ExchangeFailedAsync(workspace, client, result);
        }

        var newGrant = result.Tokens!;
        var check = await companies.CheckAsync(workspace, newGrant.AccessToken, cancellationToken);
        if (check.Visibility != CompanyVisibility.Visible)
        {
            return await WrongCompanyAsync(workspace, client, newGrant.AccessToken, check);
        }

        var reconnection = await grants.ReconnectAsync(workspace, newGrant, CancellationToken.None);
        if (reconnection.Saved is not { } connected)
        {
            await revoker.RevokeAsync(workspace.Id, client, workspace.Environment, newGrant.AccessToken, CancellationToken.None);
            return SignInResult.Failed(409, "The workspace was changed or removed while you signed in, so your sign-in was not kept.", retryable: true, "not_saved");
        }

        if (reconnection.ReplacedAccessToken is { } replaced && replaced != newGrant.AccessToken)
        {
            // The grant a person replaced is of no use to anyone now.
            await revoker.RevokeAsync(workspace.Id, client, workspace.Environment, replaced, CancellationToken.None);
        }

        logger.LogInformation("Workspace {WorkspaceId} connected", workspace.Id);
        var named = await companies.RememberNameAsync(connected, check);
        var (report, _) = await checks.CheckAsync(connected, CancellationToken.None);
        var message = report.Ok
            ? $"{ConnectLinkPage.CompanyLabel(named)} is reachable. You can close this window."
            : "Connected, but the connection check found a problem: " + report.Fix;
        return new SignInResult(
            ConnectLinkOutcome.Connected, report.Ok ? "connected" : "connected_with_warnings", 200, "Connected to Procore", message, Retryable: false, "connected");
    }

    // Procore refused the app's credentials during this sign-in: that stops others only once the
    // service has seen it itself (ClientRefusals), and then only in this environment.
    private async Task<SignInResult> ExchangeFailedAsync(Workspace workspace, OAuthClient client, ProcoreTokenResult result)
    {
        logger.LogWarning("Code exchange for workspace {WorkspaceId} failed: {Status} {Error}", workspace.Id, result.Status, result.Error);
        if (!result.IsInvalidClient)
        {
            return SignInResult.Failed(502, $"Procore refused the sign-in ({result.Error}).", retryable: true, "exchange_failed");
        }

        var environment = ConnectLinkPage.EnvironmentName(workspace.Environment);
        return await refusals.ConfirmAsync(client, workspace.Environment, CancellationToken.None)
            ? SignInResult.Failed(502,
                $"Procore refuses this app's credentials in {environment}, so nothing was connected. The platform that sent you here must fix the app's settings for {environment}.",
                retryable: false, "exchange_failed")
            : SignInResult.Failed(502,
                $"Procore refused this sign-in ({result.Error}), though the app's credentials work in {environment}. Nothing was connected.", retryable: true, "exchange_failed");
    }

    // The person's grant cannot see the workspace's company (or Procore would not say): it is not kept.
    private async Task<SignInResult> WrongCompanyAsync(Workspace workspace, OAuthClient client, string accessToken, CompanyCheck check)
    {
        await revoker.RevokeAsync(workspace.Id, client, workspace.Environment, accessToken, CancellationToken.None);
        var expected = ConnectLinkPage.CompanyLabel(workspace);
        if (check.Visibility == CompanyVisibility.Unknown)
        {
            return SignInResult.Failed(502,
                $"Procore could not confirm that your account can see {expected} (it answered {check.Status}), so nothing was connected.", retryable: true, "company_unconfirmed");
        }

        var seen = check.Listed.Count == 0 ? "none" : string.Join(", ", check.Listed.Take(10).Select(c => c.Name ?? c.Id.ToString(CultureInfo.InvariantCulture)));
        // The companies a person belongs to are theirs to see, on their page; the partner learns only that it was not this one.
        await companies.RecordNotVisibleAsync(workspace, $"The person who signed in cannot see {expected} in Procore, so their sign-in was not kept.");
        return SignInResult.Failed(403,
            $"This connection is for {expected}, and the Procore account you signed in with cannot see it (it sees: {seen}). "
            + "Nothing was connected. Sign in with an account of that company, or ask the platform that sent you here to check the company.",
            retryable: true, "company_not_visible", heading: "Not connected: another Procore company");
    }
}
