using ProcoreConnect.Clients;
using ProcoreConnect.Procore;
using ProcoreConnect.Secrets;

namespace ProcoreConnect.Tokens;

/// <summary>
/// Revokes a public client-credentials client's shared tokens when it comes to serve a second
/// partner: the partner that held one could otherwise use it on the other's customers.
/// </summary>
public sealed class SharedTokenRevoker(
    OAuthClientRepository clients,
    SecretVersionCache secretVersions,
    ClientTokenStore store,
    ProcoreOAuthClient oauth,
    ClientTokenService clientTokens,
    TimeProvider time,
    ILogger<SharedTokenRevoker> logger)
{
    /// <summary>
    /// Revokes the client's shared tokens at Procore and stops handing them out, on every instance
    /// (each re-reads the client within a minute; see <see cref="OAuthClient.SharedTokensRevokedAt"/>).
    /// The next caller gets a new token, which no partner is shown.
    /// </summary>
    public async Task RevokeSharedAsync(OAuthClient client, CancellationToken cancellationToken)
    {
        await clients.ChangeAsync(client.Ref, c => c with { SharedTokensRevokedAt = time.GetUtcNow() }, cancellationToken);
        var secret = await secretVersions.GetAsync(client.ClientSecret, cancellationToken);
        foreach (var environment in Enum.GetValues<ProcoreEnvironment>())
        {
            var key = new ClientTokenKey(client.Ref, environment);
            if (await store.FindAsync(key, cancellationToken) is { } stored)
            {
                await oauth.RevokeAsync(environment, client.ClientId, secret, await secretVersions.GetAsync(stored.Token, cancellationToken), CancellationToken.None);
            }
        }

        await clientTokens.ForgetAsync(client.Ref, cancellationToken);
        logger.LogInformation("Shared tokens of OAuth client {Client} revoked: it serves more than one partner now", client.Ref);
    }
}
