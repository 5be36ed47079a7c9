using ProcoreConnect.Clients;
using ProcoreConnect.Procore;
using ProcoreConnect.Secrets;

namespace ProcoreConnect.Tokens;

/// <summary>
/// Revokes a public client-credentials client's shared tokens when the partners granted it change:
/// a partner that held one could otherwise go on using it on another partner's customers.
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
    /// (each re-reads the client within a minute; see <see cref="OAuthClient.SharedTokensRevokedAt"/>):
    /// for a public client whose token someone may hold who must no longer (the partners granted it
    /// changed). The next caller gets a new token, shown only if one partner alone is granted.
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
        logger.LogInformation("Shared tokens of OAuth client {Client} revoked: the partners granted it changed", client.Ref);
    }
}
