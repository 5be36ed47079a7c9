using ProcoreConnect.Clients;
using ProcoreConnect.Procore;
using ProcoreConnect.Secrets;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.WorkspaceConnections;

/// <summary>
/// Leaves no live grant that nobody holds: revokes at Procore the grant a connection write replaced
/// (then disables its secret version) or a deleted workspace held, and one redeemed for a row that
/// was never written. Best effort, as a revoke is (<see cref="GrantRevoker"/>).
/// </summary>
public sealed class GrantCleanup(GrantRevoker revoker, HeldTokens held, ISecretStore secrets, ILogger<GrantCleanup> logger)
{
    /// <summary>
    /// Revokes the workspace's grant: the one of <paramref name="accessToken"/> when the caller read
    /// it (under the lease), else its newest tokens version's. Only a code-flow grant is the workspace's own.
    /// </summary>
    public async Task RevokeAsync(Workspace workspace, string? accessToken, CancellationToken cancellationToken)
    {
        if (workspace.AuthFlow != AuthFlow.AuthorizationCode || workspace.Tokens is null)
        {
            return;
        }

        accessToken ??= await held.NewestAccessTokenAsync(workspace, CancellationToken.None);
        await revoker.RevokeAsync(workspace.Id, workspace.Client, workspace.Environment, accessToken, cancellationToken);
    }

    /// <summary>
    /// Retires the grant a write took from <paramref name="original"/>: revoked with
    /// <paramref name="replacedGrant"/> when it could be read, and its secret version
    /// <paramref name="old"/> disabled, now that the row no longer points at it.
    /// </summary>
    public async Task RetireAsync(Workspace original, SecretReference old, string? replacedGrant)
    {
        if (replacedGrant is not null)
        {
            await RevokeAsync(original, replacedGrant, CancellationToken.None);
        }

        await secrets.RetireAsync(old, logger, $"workspace {original.Id}");
    }

    /// <summary>Revokes a grant redeemed for a row that does not hold it.</summary>
    public Task RevokeRedeemedAsync(WorkspaceRef workspace, OAuthClient client, ProcoreEnvironment environment, ProcoreTokenResponse redeemed) =>
        revoker.RevokeAsync(workspace.Id, client.Ref, environment, redeemed.AccessToken, CancellationToken.None);
}
