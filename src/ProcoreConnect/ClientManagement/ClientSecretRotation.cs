using ProcoreConnect.Clients;
using ProcoreConnect.Common;
using ProcoreConnect.Procore;
using ProcoreConnect.Secrets;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.ClientManagement;

/// <summary>
/// Replaces an OAuth client's secret with no downtime for any of its workspaces: the new secret is
/// stored as a new version, proven against Procore, and only then made current; the old version is
/// disabled afterwards. A secret Procore refuses changes nothing.
/// </summary>
public sealed class ClientSecretRotation(
    OAuthClientRepository clients,
    WorkspaceRepository workspaces,
    ISecretStore secrets,
    ProcoreOAuthClient oauth,
    RefreshProtocol refreshes,
    ClientHealthRecorder health,
    TimeProvider time,
    ILogger<ClientSecretRotation> logger)
{
    /// <summary>
    /// Rotates the secret, proven by a client-credentials token request (in <paramref name="environment"/>,
    /// or that of a workspace on the client) or by a refresh of one connected workspace.
    /// </summary>
    public async Task<(WriteOutcome<OAuthClient> Outcome, TokenStatus? Proof)> RotateSecretAsync(
        OAuthClientRef client, string clientSecret, DateTimeOffset? expiresAt, ProcoreEnvironment? environment, CancellationToken cancellationToken)
    {
        var existing = await clients.FindAsync(client, cancellationToken);
        if (existing is not { Status: OAuthClientStatus.Active })
        {
            return (new(WriteStatus.NotFound), null);
        }

        var candidate = await secrets.SetAsync(SecretNames.ClientSecret(existing.SecretPrefix), clientSecret, cancellationToken);
        var (proof, detail, field) = await ProveAsync(existing, clientSecret, environment, cancellationToken);
        if (proof != TokenStatus.Ok)
        {
            await secrets.DisableAsync(candidate, CancellationToken.None);
            logger.LogWarning("Secret rotation of OAuth client {Client} refused: {Status}", client, proof);
            return (new(WriteStatus.Invalid, Detail: detail, Field: field), proof);
        }

        var previous = existing.ClientSecret;
        var before = existing;
        var updated = await clients.ChangeAsync(client, current =>
        {
            (previous, before) = (current.ClientSecret, current);
            return current.Status != OAuthClientStatus.Active ? null : current.ForgettingRefusals() with
            {
                ClientSecret = candidate,
                ClientSecretUpdatedAt = time.GetUtcNow(),
                ClientSecretExpiresAt = expiresAt,
                ClientSecretExpiringSoon = false,
                UpdatedAt = time.GetUtcNow(),
            };
        }, CancellationToken.None);
        if (updated is null)
        {
            await secrets.DisableAsync(candidate, CancellationToken.None);
            return (new(WriteStatus.Conflict, Detail: $"OAuth client '{client.Name}' changed or disappeared during the rotation; retry."), proof);
        }

        // Only now is nothing left that reads the old version.
        await secrets.RetireAsync(previous, logger, $"OAuth client {client}");
        await health.AnnounceAsync(before, updated);
        logger.LogInformation("Client secret of OAuth client {Client} rotated", client);
        return (new(WriteStatus.Updated, updated), proof);
    }

    private async Task<(TokenStatus Status, string? Detail, string? Field)> ProveAsync(
        OAuthClient client, string candidate, ProcoreEnvironment? environment, CancellationToken cancellationToken)
    {
        if (client.AuthFlow == AuthFlow.ClientCredentials)
        {
            var proveIn = environment ?? await FirstEnvironmentAsync(client.Ref, cancellationToken);
            if (proveIn is not { } env)
            {
                return (TokenStatus.NotConnected, "No workspace uses this client yet: name the environment to prove the secret in.", "environment");
            }

            // A token request proves the secret; nothing is stored.
            var result = await oauth.ClientCredentialsAsync(env, client.ClientId, candidate, cancellationToken);
            return result.Succeeded ? (TokenStatus.Ok, null, null)
                : result.IsInvalidClient || result.IsInvalidGrant ? (TokenStatus.InvalidClient, "Refused by Procore.", "clientSecret")
                : (TokenStatus.ProcoreUnavailable, $"Procore could not prove the new secret ({result.Error}); the current one stays in use. Retry later.", null);
        }

        // A connected workspace whose last refresh went well: its refresh token is the likeliest to be alive.
        Workspace? connected = null;
        await foreach (var workspace in workspaces.ListUsingAsync(client.Ref, cancellationToken))
        {
            if (workspace.Status == WorkspaceStatus.Connected && (connected is null || (connected.LastError is not null && workspace.LastError is null)))
            {
                connected = workspace;
            }
        }

        if (connected is null)
        {
            return (TokenStatus.NotConnected,
                "A code-flow secret is proven by refreshing a connected workspace, and none uses this client: connect one first, or set the secret with PUT /api/oauth-clients/{name}.", null);
        }

        var outcome = await refreshes.ProveSecretAsync(connected.Ref, client, candidate, cancellationToken);
        return outcome.Status switch
        {
            // Procore authenticates the client before it looks at the grant (RFC 6749 §5.2): a refused
            // refresh token means the secret was accepted. That workspace needs a person either way.
            TokenStatus.Ok or TokenStatus.NeedsReauthorization => (TokenStatus.Ok, null, null),
            TokenStatus.InvalidClient => (TokenStatus.InvalidClient, "Refused by Procore.", "clientSecret"),
            var other => (other, outcome.Detail ?? "Procore could not prove the new secret; the current one stays in use. Retry later.", null),
        };
    }

    private async Task<ProcoreEnvironment?> FirstEnvironmentAsync(OAuthClientRef client, CancellationToken cancellationToken)
    {
        await foreach (var workspace in workspaces.ListUsingAsync(client, cancellationToken))
        {
            return workspace.Environment;
        }

        return null;
    }
}
