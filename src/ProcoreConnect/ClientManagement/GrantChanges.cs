using ProcoreConnect.Clients;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.ClientManagement;

/// <summary>
/// Makes a changed grant hold at once on this instance: tokens held in memory for the workspaces
/// it concerns are dropped, so the next call checks the grant again (other instances re-check within
/// a minute, see <see cref="TokenReader"/>). When a public client-credentials client comes to serve
/// a second partner, its shared tokens are revoked: the partner that held one could otherwise use it
/// on the other's customers.
/// </summary>
public sealed class GrantChanges(WorkspaceRepository workspaces, TokenCache cache, CompanyAccess access, SharedTokenRevoker sharedTokens)
{
    /// <summary>Applies a change of <paramref name="partnerId"/>'s grant on <paramref name="client"/>; <paramref name="wasShared"/>: whether the client served several partners before.</summary>
    public async Task AppliedAsync(OAuthClient client, string partnerId, bool wasShared, CancellationToken cancellationToken)
    {
        var shared = await access.TokenReachesOthersAsync(client.Ref, cancellationToken);
        if (shared && !wasShared && client.AuthFlow == AuthFlow.ClientCredentials)
        {
            await sharedTokens.RevokeSharedAsync(client, cancellationToken);
        }

        // Whether the token may be shown changed for every partner on the client; else only this partner's grant did.
        await foreach (var workspace in workspaces.ListUsingAsync(client.Ref, cancellationToken, partnerId: shared == wasShared ? partnerId : null))
        {
            cache.Remove(workspace.Ref);
        }
    }
}
