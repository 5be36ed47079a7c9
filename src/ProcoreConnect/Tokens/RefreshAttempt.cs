using ProcoreConnect.Clients;
using ProcoreConnect.Procore;
using ProcoreConnect.Secrets;
using ProcoreConnect.Telemetry;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tokens;

/// <summary>
/// Presents a refresh token to Procore once and keeps what Procore answers: new tokens are
/// persisted before anything can lose them (<see cref="TokenKeeper"/>), a failure is recorded on
/// the workspace. The caller holds the workspace's refresh lease. One method per thing presented:
/// the held token with the stored secret (due, or forced), the held token with a candidate secret
/// (a proof), a refresh token from elsewhere (an import), or one redeemed without storing (for a
/// workspace not written yet).
/// </summary>
public sealed class RefreshAttempt(
    HeldTokens held,
    TokenKeeper keeper,
    SecretVersionCache secretVersions,
    ProcoreOAuthClient oauth,
    ClientRefusals refusals,
    ConnectTelemetry telemetry,
    TimeProvider time,
    ILogger<RefreshAttempt> logger)
{
    /// <summary>
    /// Refreshes a token that is due. While Procore fails and the held token is still valid, that
    /// token answers (the back-off keeps the next try away); with a <paramref name="batch"/> (the
    /// sweep), the new index entry goes to it.
    /// </summary>
    public Task<TokenOutcome> RefreshDueAsync(Workspace workspace, OAuthClient? client, DueIndexBatch? batch, CancellationToken cancellationToken) =>
        MeasuredAsync(workspace, () => WithStoredSecretAsync(workspace, client, (current, secret) =>
            PresentHeldAsync(workspace, current, secret, candidate: false, servesHeldOnOutage: true, batch, cancellationToken), cancellationToken));

    /// <summary>Refreshes now, as a new token was asked for: while Procore fails, the failure answers.</summary>
    public Task<TokenOutcome> RefreshNowAsync(Workspace workspace, OAuthClient? client, CancellationToken cancellationToken) =>
        MeasuredAsync(workspace, () => WithStoredSecretAsync(workspace, client, (current, secret) =>
            PresentHeldAsync(workspace, current, secret, candidate: false, servesHeldOnOutage: false, batch: null, cancellationToken), cancellationToken));

    /// <summary>
    /// Refreshes with <paramref name="candidate"/>'s <paramref name="clientSecret"/> instead of the
    /// stored one, to prove a new secret. A refusal of the candidate is not held against the client;
    /// while Procore fails, the failure answers: the held token proves nothing about the candidate.
    /// </summary>
    public Task<TokenOutcome> ProveSecretAsync(Workspace workspace, OAuthClient candidate, string clientSecret, CancellationToken cancellationToken) =>
        MeasuredAsync(workspace, async () => candidate is { Status: OAuthClientStatus.Active }
            ? await PresentHeldAsync(workspace, candidate, clientSecret, candidate: true, servesHeldOnOutage: false, batch: null, cancellationToken)
            : ClientGone(workspace));

    /// <summary>
    /// Presents <paramref name="refreshToken"/>, brought from elsewhere, for the workspace: a success
    /// stores the rotated tokens, connects the workspace and answers the access token of the grant it
    /// replaced (to revoke); a failure records nothing and says whether Procore refused the token or
    /// could not be asked.
    /// </summary>
    public Task<TokenOutcome> ImportAsync(Workspace workspace, OAuthClient? client, string refreshToken, CancellationToken cancellationToken) =>
        MeasuredAsync(workspace, () => WithStoredSecretAsync(workspace, client, (current, secret) =>
            PresentImportedAsync(workspace, current, secret, refreshToken, cancellationToken), cancellationToken));

    /// <summary>
    /// Redeems a refresh token issued elsewhere with <paramref name="client"/> in
    /// <paramref name="environment"/>, storing nothing: for a workspace that does not hold this
    /// client and environment yet, whose row is written only once Procore accepted the token. The
    /// new tokens are the caller's to store (<see cref="GrantConnector.ConnectAsync"/>) at once.
    /// </summary>
    public async Task<(TokenOutcome Outcome, ProcoreTokenResponse? Tokens)> RedeemAsync(
        ProcoreEnvironment environment, OAuthClient client, string refreshToken, CancellationToken cancellationToken)
    {
        if (client.SecretRefusedIn(environment))
        {
            return (new TokenOutcome(TokenStatus.InvalidClient, Detail: ClientTokenService.RefusedDetail(client, environment)), null);
        }

        var clientSecret = await secretVersions.GetAsync(client.ClientSecret, cancellationToken);
        var result = await PresentAsync(environment, client, clientSecret, refreshToken);
        if (result.Succeeded)
        {
            return (new TokenOutcome(TokenStatus.Ok), result.Tokens);
        }

        logger.LogWarning("An imported refresh token for OAuth client {Client} failed: {Status} {Error}", client.Ref, result.Status, result.Error);
        return (ImportRefused(client, result), null);
    }

    private async Task<TokenOutcome> MeasuredAsync(Workspace workspace, Func<Task<TokenOutcome>> attempt)
    {
        using var activity = ConnectTelemetry.Activities.StartActivity("refresh");
        activity?.SetTag("workspace.id", workspace.Id);
        activity?.SetTag("auth_flow", Common.WireName.Of(workspace.AuthFlow));
        var outcome = await attempt();
        var label = outcome.Status switch
        {
            TokenStatus.Ok => "succeeded",
            TokenStatus.NeedsReauthorization => "needs_reauthorization",
            TokenStatus.InvalidClient => "invalid_client",
            _ => "failed",
        };
        activity?.SetTag("outcome", label);
        telemetry.Refreshed(Common.WireName.Of(workspace.AuthFlow), label, time.GetUtcNow() - workspace.AccessTokenIssuedAt);
        return outcome;
    }

    private async Task<TokenOutcome> WithStoredSecretAsync(
        Workspace workspace, OAuthClient? client, Func<OAuthClient, string, Task<TokenOutcome>> present, CancellationToken cancellationToken)
    {
        if (client is not { Status: OAuthClientStatus.Active })
        {
            return ClientGone(workspace);
        }

        if (client.SecretRefusedIn(workspace.Environment))
        {
            // Presenting the refresh token with a secret Procore refuses would burn it.
            return new TokenOutcome(TokenStatus.InvalidClient, Detail: ClientTokenService.RefusedDetail(client, workspace.Environment));
        }

        return await present(client, await secretVersions.GetAsync(client.ClientSecret, cancellationToken));
    }

    private async Task<TokenOutcome> PresentHeldAsync(
        Workspace workspace, OAuthClient client, string clientSecret, bool candidate, bool servesHeldOnOutage, DueIndexBatch? batch, CancellationToken cancellationToken)
    {
        var refreshToken = await held.NewestRefreshTokenAsync(workspace, cancellationToken);
        if (refreshToken is null)
        {
            return (await keeper.RecordFailureAsync(workspace, TokenStatus.NeedsReauthorization, "No refresh token is held; connect the workspace again.",
                WorkspaceStatus.NeedsReauthorization, ConnectionHealth.NeedsReauthorization, transient: false)).Outcome;
        }

        // From here on the refresh token is spent, whatever Procore answers: Procore invalidates the
        // token presented on every refresh call, failed ones included. It is never sent twice by this call.
        var result = await PresentAsync(workspace.Environment, client, clientSecret, refreshToken);
        if (result.Succeeded)
        {
            var (saved, token) = await keeper.KeepAsync(workspace, result.Tokens!, connected: false, batch, CancellationToken.None);
            logger.LogInformation("Token of workspace {WorkspaceId} refreshed, expires {ExpiresAt}", workspace.Id, saved.AccessTokenExpiresAt);
            return new TokenOutcome(TokenStatus.Ok, token);
        }

        held.Forget(workspace.Ref);
        if (result.IsInvalidClient)
        {
            return await ClientRefusedAsync(workspace, client, result, candidate);
        }

        if (!result.IsTransient)
        {
            var reason = $"Procore refused the refresh token ({result.Error}): the connection was revoked or expired; connect the workspace again.";
            logger.LogWarning("Workspace {WorkspaceId} needs reauthorization: refresh refused ({Error})", workspace.Id, result.Error);
            return (await keeper.RecordFailureAsync(
                workspace, TokenStatus.NeedsReauthorization, reason, WorkspaceStatus.NeedsReauthorization, ConnectionHealth.NeedsReauthorization, transient: false)).Outcome;
        }

        logger.LogWarning("Refresh of workspace {WorkspaceId} failed: {Status} {Error}", workspace.Id, result.Status, result.Error);
        var failure = $"Procore's token endpoint failed ({result.Error}); retry later.";
        var (outcome, backingOff) = await keeper.RecordFailureAsync(
            workspace, TokenStatus.ProcoreUnavailable, failure, workspace.Status, ConnectionHealth.RefreshFailing, transient: true);

        // Procore is failing but the current access token still works: hand it out (unless a new one
        // was asked for), without trying again before the back-off ends. That try presents the held
        // refresh token once more; if this call spent it, Procore says invalid_grant then, and the
        // workspace is marked for reconnection.
        return servesHeldOnOutage && held.StillValid(workspace)
            ? await held.FromStoreAsync(backingOff ?? workspace, cancellationToken)
            : outcome;
    }

    private async Task<TokenOutcome> ClientRefusedAsync(Workspace workspace, OAuthClient client, ProcoreTokenResult result, bool candidate)
    {
        var reason = $"Procore refused the client credentials of OAuth client '{client.Ref.Name}' ({result.Error}): check its clientId, clientSecret and the environment.";
        logger.LogWarning("Refresh of workspace {WorkspaceId} refused: invalid client {Client}", workspace.Id, client.Ref);
        if (candidate)
        {
            return new TokenOutcome(TokenStatus.InvalidClient, Detail: reason);
        }

        // Once the service confirms it, the client's other workspaces in this environment stop
        // presenting their refresh tokens until the secret changes.
        await refusals.ConfirmAsync(client, workspace.Environment, CancellationToken.None);
        return (await keeper.RecordFailureAsync(workspace, TokenStatus.InvalidClient, reason, workspace.Status, ConnectionHealth.InvalidClient, transient: false)).Outcome;
    }

    private async Task<TokenOutcome> PresentImportedAsync(
        Workspace workspace, OAuthClient client, string clientSecret, string refreshToken, CancellationToken cancellationToken)
    {
        // An import replaces the grant the workspace holds: its newest access token, read here under
        // the lease, is the one to revoke once the import is stored (and only then).
        var replaced = workspace.Tokens is not null ? await held.NewestAccessTokenAsync(workspace, cancellationToken) : null;
        var result = await PresentAsync(workspace.Environment, client, clientSecret, refreshToken);
        if (result.Succeeded)
        {
            var (saved, token) = await keeper.KeepAsync(workspace, result.Tokens!, connected: true, batch: null, CancellationToken.None);
            logger.LogInformation("Token of workspace {WorkspaceId} refreshed, expires {ExpiresAt}", workspace.Id, saved.AccessTokenExpiresAt);
            return new TokenOutcome(TokenStatus.Ok, token, ReplacedAccessToken: replaced);
        }

        // The workspace's own tokens were not presented: nothing about it changed.
        logger.LogWarning("Workspace {WorkspaceId}: an imported refresh token failed: {Status} {Error}", workspace.Id, result.Status, result.Error);
        return ImportRefused(client, result);
    }

    // Procore always rotates; should an answer ever come without a refresh token, the one presented is all there is.
    private async Task<ProcoreTokenResult> PresentAsync(ProcoreEnvironment environment, OAuthClient client, string clientSecret, string refreshToken)
    {
        var result = await oauth.RefreshAsync(environment, client.ClientId, clientSecret, refreshToken, CancellationToken.None);
        return result.Tokens is { RefreshToken: null } withoutRefreshToken ? result with { Tokens = withoutRefreshToken with { RefreshToken = refreshToken } } : result;
    }

    private static TokenOutcome ClientGone(Workspace workspace) =>
        new(TokenStatus.InvalidClient, Detail: $"The workspace's OAuth client '{workspace.Client.Name}' no longer exists.");

    private static TokenOutcome ImportRefused(OAuthClient client, ProcoreTokenResult result) =>
        result.IsInvalidClient
            ? new TokenOutcome(TokenStatus.InvalidClient, Detail: $"Procore refused the client credentials of OAuth client '{client.Ref.Name}' ({result.Error}).")
            : result.IsTransient
                ? new TokenOutcome(TokenStatus.ProcoreUnavailable, Detail: $"Procore's token endpoint failed ({result.Error}); the refresh token may or may not be spent.")
                : new TokenOutcome(TokenStatus.NeedsReauthorization, Detail: $"Procore refused the refresh token ({result.Error}): it was used already, revoked, expired, or issued to another app.");
}
