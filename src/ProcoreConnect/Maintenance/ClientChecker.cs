using ProcoreConnect.Clients;
using ProcoreConnect.Procore;
using ProcoreConnect.Tokens;

namespace ProcoreConnect.Maintenance;

/// <summary>
/// The <c>CheckConnections</c> timer's work on OAuth clients: a secret's expiry is the client's, so
/// a secret that expires within 30 days is flagged once per client (with one event to its owner);
/// and each shared token of a client-credentials client must have its due entry too.
/// </summary>
public sealed class ClientChecker(
    OAuthClientRepository clients,
    ClientTokenStore clientTokens,
    DueEntryRepair repair,
    Events.EventPublisher events,
    TimeProvider time,
    ILogger<ClientChecker> logger)
{
    /// <summary>How far ahead a client secret's expiry is flagged.</summary>
    public static readonly TimeSpan SecretExpiryWarning = TimeSpan.FromDays(30);

    /// <summary>Checks every client once: how many secrets expire soon, and how many due entries were restored.</summary>
    public async Task<(int Expiring, int Restored)> CheckAllAsync(CancellationToken cancellationToken)
    {
        int expiringCount = 0, restored = 0;
        await foreach (var client in clients.ListAllAsync(cancellationToken))
        {
            if (client is { AuthFlow: AuthFlow.ClientCredentials, Status: OAuthClientStatus.Active })
            {
                foreach (var environment in Enum.GetValues<ProcoreEnvironment>())
                {
                    var key = new ClientTokenKey(client.Ref, environment);
                    if (await clientTokens.FindAsync(key, cancellationToken) is { } stored && stored.ClientGeneration == client.SecretPrefix
                        && await repair.RestoreAsync(new DueClientToken(key, stored.RefreshDueAt), cancellationToken))
                    {
                        restored++;
                    }
                }
            }

            var expiring = client.ClientSecretExpiresAt is { } expiresAt && expiresAt - time.GetUtcNow() <= SecretExpiryWarning;
            if (expiring)
            {
                expiringCount++;
            }

            if (expiring == client.ClientSecretExpiringSoon || client.Status != OAuthClientStatus.Active)
            {
                continue;
            }

            await clients.ChangeAsync(client.Ref, c => c with { ClientSecretExpiringSoon = expiring }, cancellationToken);
            if (expiring)
            {
                logger.LogWarning("Client secret of OAuth client {Client} expires {ExpiresAt}", client.Ref, client.ClientSecretExpiresAt);
                if (!client.Ref.IsPublic)
                {
                    await events.PublishAsync(
                        client.Ref.Owner, null, Events.EventTypes.SecretExpiring, new { oauthClient = client.Ref.Name, expiresAt = client.ClientSecretExpiresAt }, cancellationToken);
                }
            }
        }

        return (expiringCount, restored);
    }
}
