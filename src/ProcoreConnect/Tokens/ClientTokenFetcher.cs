using ProcoreConnect.Clients;
using ProcoreConnect.Procore;
using ProcoreConnect.Secrets;
using ProcoreConnect.Telemetry;

namespace ProcoreConnect.Tokens;

/// <summary>
/// Asks Procore for a client's shared token once (the client-credentials grant) and keeps the
/// answer: the token stored (<see cref="ClientTokenPersister"/>), or the failure recorded on the
/// client's health in that environment. The caller holds the token's lease.
/// </summary>
public sealed class ClientTokenFetcher(
    SharedTokenCache cache,
    ClientTokenPersister persister,
    SecretVersionCache secretVersions,
    ProcoreOAuthClient oauth,
    ClientHealthRecorder health,
    ConnectTelemetry telemetry,
    TimeProvider time,
    ILogger<ClientTokenFetcher> logger)
{
    private const string Flow = "client_credentials";

    /// <summary>
    /// Fetches a new token for <paramref name="key"/>, unless the client's secret stands refused
    /// there or it is backing off after failures. While backing off, and while Procore fails, the
    /// still-valid <paramref name="previous"/> token answers, unless a new one was asked for
    /// (<paramref name="forced"/>). With <paramref name="leaveOldEntry"/> (the sweep), the old index
    /// entry is the caller's to remove.
    /// </summary>
    public async Task<SharedTokenOutcome> FetchAsync(
        ClientTokenKey key, OAuthClient client, StoredClientToken? previous, CancellationToken cancellationToken, bool leaveOldEntry = false, bool forced = false)
    {
        var now = time.GetUtcNow();
        var current = client.TokenHealthIn(key.Environment);
        if (client.SecretRefusedIn(key.Environment))
        {
            return new SharedTokenOutcome(TokenStatus.InvalidClient, null, ClientTokenService.RefusedDetail(client, key.Environment));
        }

        var stillValid = !forced && previous is not null && previous.Belongs(client) && previous.ExpiresAt > now;
        if (current.RetryAt is { } retryAt && retryAt > now)
        {
            // Backing off after failed requests: the still-valid token (unless a new one was asked for), or when to come back.
            return stillValid
                ? SharedTokenOutcome.Ok(await cache.LoadAsync(key, previous!, cancellationToken))
                : new SharedTokenOutcome(TokenStatus.RefreshCoolingDown, null,
                    $"Token requests of OAuth client '{client.Ref.Name}' in {Common.WireName.Of(key.Environment)} failed {current.Failures} time(s) in a row; the next try is not before {retryAt:u}.")
                  { RetryAt = retryAt };
        }

        var secret = await secretVersions.GetAsync(client.ClientSecret, cancellationToken);
        var result = await oauth.ClientCredentialsAsync(key.Environment, client.ClientId, secret, cancellationToken);
        telemetry.Refreshed(Flow, result.Succeeded ? "succeeded" : result.IsInvalidClient ? "invalid_client" : "failed", previous is null ? null : time.GetUtcNow() - previous.IssuedAt);
        if (result.Succeeded)
        {
            var token = await persister.PersistAsync(key, client, result.Tokens!, previous, leaveOldEntry);
            logger.LogInformation("Shared token of OAuth client {Client} in {Environment} fetched, expires {ExpiresAt}", client.Ref, key.Environment, token.ExpiresAt);
            if (current != ConnectionHealth.Ok)
            {
                await health.RecordAsync(client, key.Environment, (_, h) => h.Refreshed());
            }

            return SharedTokenOutcome.Ok(token);
        }

        cache.Remove(key);
        if (result.IsInvalidClient || result.IsInvalidGrant)
        {
            // This request is the service's own, so the refusal needs no confirming (see ClientRefusals).
            // Refused in this environment only: the same credentials may work in another (an app
            // missing from a sandbox copy), and a client-credentials client has no refresh token to burn.
            await health.RefusedAsync(client, key.Environment, client.ClientSecret.Version, now);
            logger.LogWarning("Procore refused the credentials of OAuth client {Client} in {Environment}: {Error}", client.Ref, key.Environment, result.Error);
            return new SharedTokenOutcome(TokenStatus.InvalidClient, null,
                $"Procore refused the client credentials of OAuth client '{client.Ref.Name}' ({result.Error}): check its clientId and clientSecret, and that the app is a DMSA app for this environment.");
        }

        logger.LogWarning("Token request of OAuth client {Client} in {Environment} failed: {Status} {Error}", client.Ref, key.Environment, result.Status, result.Error);
        var backedOff = await health.RecordAsync(client, key.Environment, (_, h) => h.RefreshFailed(ConnectionHealth.RefreshFailing, transient: true, now));
        if (stillValid)
        {
            // Procore is failing but the current token still works: hand it out, and try again after the back-off.
            return SharedTokenOutcome.Ok(await cache.LoadAsync(key, previous!, cancellationToken));
        }

        return new SharedTokenOutcome(TokenStatus.ProcoreUnavailable, null, $"Procore's token endpoint failed ({result.Error}); retry later.")
        {
            RetryAt = backedOff?.RetryAt,
        };
    }
}
