using ProcoreConnect.Secrets;
using ProcoreConnect.Tokens;

namespace ProcoreConnect.Workspaces;

/// <summary>
/// Replaces a client secret with no downtime: the new secret is stored as a new version, proven
/// against Procore (a token request made with it), and only then made current; the old version is
/// disabled afterwards, not before. A secret Procore refuses changes nothing.
/// </summary>
public sealed class SecretRotationService(
    WorkspaceRepository workspaces,
    ISecretStore secrets,
    TokenService tokens,
    TimeProvider time,
    ILogger<SecretRotationService> logger)
{
    /// <summary>Rotates the secret; the outcome says why when it did not.</summary>
    public async Task<(WriteOutcome Outcome, TokenStatus? Proof)> RotateAsync(string id, string clientSecret, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        var workspace = await workspaces.FindAsync(id, cancellationToken);
        if (workspace is null || workspace.Status == WorkspaceStatus.Deleting)
        {
            return (new WriteOutcome(WriteStatus.NotFound), null);
        }

        var candidate = await secrets.SetAsync(SecretNames.ClientSecret(workspace.SecretPrefix), clientSecret, cancellationToken);
        var proof = await tokens.RefreshWithSecretAsync(id, clientSecret, cancellationToken);
        if (proof.Status != TokenStatus.Ok)
        {
            await secrets.DisableAsync(candidate, CancellationToken.None);
            logger.LogWarning("Secret rotation for workspace {WorkspaceId} refused: {Status}", id, proof.Status);
            return (new WriteOutcome(WriteStatus.Invalid, Detail: proof.Detail, Field: "clientSecret"), proof.Status);
        }

        var previous = workspace.ClientSecret;
        var updated = await workspaces.ChangeAsync(id, current =>
        {
            previous = current.ClientSecret;
            return current with
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
            return (new WriteOutcome(WriteStatus.Conflict, Detail: $"Workspace '{id}' changed or disappeared during the rotation; retry."), proof.Status);
        }

        // Only now is nothing left that reads the old version.
        await secrets.DisableAsync(previous, CancellationToken.None);
        logger.LogInformation("Client secret of workspace {WorkspaceId} rotated", id);
        return (new WriteOutcome(WriteStatus.Updated, updated), proof.Status);
    }
}
