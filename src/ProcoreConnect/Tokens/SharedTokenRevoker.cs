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
        var (revoked, failed) = (0, 0);
        foreach (var environment in Enum.GetValues<ProcoreEnvironment>())
        {
            var key = new ClientTokenKey(client.Ref, environment);
            if (await store.FindAsync(key, cancellationToken) is not { } stored)
            {
                continue;
            }

            // The current token and every earlier one Procore may still honour.
            foreach (var token in stored.StillAliveAt(time.GetUtcNow()))
            {
                if (await TryRevokeAsync(environment, client, secret, token.Token))
                {
                    revoked++;
                }
                else
                {
                    failed++;
                }
            }
        }

        await clientTokens.ForgetAsync(client.Ref, cancellationToken);
        if (failed > 0)
        {
            // Still never handed out again (SharedTokensRevokedAt), but alive at Procore until it expires.
            logger.LogWarning(
                "Shared tokens of OAuth client {Client}: {Revoked} revoked, {Failed} NOT revoked at Procore (they stay valid there until they expire)",
                client.Ref, revoked, failed);
            return;
        }

        logger.LogInformation("Shared tokens of OAuth client {Client} revoked ({Revoked}): the partners granted it changed", client.Ref, revoked);
    }

    private async Task<bool> TryRevokeAsync(ProcoreEnvironment environment, OAuthClient client, string secret, SecretReference token)
    {
        try
        {
            return await oauth.RevokeAsync(environment, client.ClientId, secret, await secretVersions.GetAsync(token, CancellationToken.None), CancellationToken.None);
        }
#pragma warning disable CA1031 // One token that cannot be revoked must not keep the others alive; the caller reports it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogWarning(ex, "Could not revoke a shared token of OAuth client {Client} in {Environment}", client.Ref, environment);
            return false;
        }
    }
}
