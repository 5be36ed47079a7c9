using ProcoreConnect.Clients;
using ProcoreConnect.Procore;
using ProcoreConnect.Secrets;

namespace ProcoreConnect.Tokens;

/// <summary>
/// Revokes a workspace's grant at Procore (its access token, which takes the refresh token with
/// it), best effort: a failed revoke is logged and never stops the delete, move or sign-in that
/// asked for it.
/// </summary>
public sealed class GrantRevoker(OAuthClientRepository clients, SecretVersionCache secrets, ProcoreOAuthClient oauth, ILogger<GrantRevoker> logger)
{
    /// <summary>Revokes the grant of <paramref name="accessToken"/>, issued to <paramref name="clientRef"/> in <paramref name="environment"/>.</summary>
    public async Task RevokeAsync(string workspaceId, OAuthClientRef clientRef, ProcoreEnvironment environment, string? accessToken, CancellationToken cancellationToken)
    {
        try
        {
            var client = await clients.FindAsync(clientRef, cancellationToken);
            if (client is null || accessToken is null)
            {
                logger.LogWarning("Workspace {WorkspaceId}: nothing to revoke with (client or tokens missing)", workspaceId);
                return;
            }

            await RevokeAsync(workspaceId, client, environment, accessToken, cancellationToken);
        }
#pragma warning disable CA1031 // A failed revoke must not stop what asked for it.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            logger.LogWarning(ex, "Workspace {WorkspaceId}: revoking a grant at Procore failed; going on", workspaceId);
        }
    }

    /// <summary>Revokes the grant of <paramref name="accessToken"/>, issued to <paramref name="client"/> in <paramref name="environment"/>.</summary>
    public async Task RevokeAsync(string workspaceId, OAuthClient client, ProcoreEnvironment environment, string accessToken, CancellationToken cancellationToken)
    {
        try
        {
            var clientSecret = await secrets.GetAsync(client.ClientSecret, cancellationToken);
            if (await oauth.RevokeAsync(environment, client.ClientId, clientSecret, accessToken, cancellationToken))
            {
                logger.LogInformation("Workspace {WorkspaceId}: grant revoked at Procore", workspaceId);
            }
            else
            {
                logger.LogWarning("Workspace {WorkspaceId}: Procore did not confirm the revocation; going on", workspaceId);
            }
        }
#pragma warning disable CA1031 // A failed revoke must not stop what asked for it.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            logger.LogWarning(ex, "Workspace {WorkspaceId}: revoking a grant at Procore failed; going on", workspaceId);
        }
    }
}
