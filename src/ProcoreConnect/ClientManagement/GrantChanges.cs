using ProcoreConnect.Clients;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.ClientManagement;

/// <summary>
/// Makes a changed grant hold at once on this instance: tokens held in memory for the workspaces
/// it concerns are dropped, so the next call checks the grant again (other instances re-check within
/// a minute, see <see cref="TokenReader"/>). When the partners granted a public client-credentials
/// client change (one added or one removed), its shared tokens are revoked: a partner that held one
/// could otherwise go on using it on another partner's customers, and a token is only ever shown to
/// the partners granted while it lives.
/// </summary>
public sealed class GrantChanges(WorkspaceRepository workspaces, TokenCache cache, ClientGrantStore grants, SharedTokenRevoker sharedTokens)
{
    /// <summary>Applies a change of <paramref name="partnerId"/>'s grant on <paramref name="client"/>; <paramref name="granteesBefore"/>: the partners granted before it.</summary>
    public async Task AppliedAsync(OAuthClient client, string partnerId, IReadOnlyCollection<string> granteesBefore, CancellationToken cancellationToken)
    {
        var granteesAfter = await grants.GranteesAsync(client.Ref.Name, cancellationToken);
        var granteesChanged = !granteesAfter.ToHashSet(StringComparer.Ordinal).SetEquals(granteesBefore);
        if (granteesChanged && client.AuthFlow == AuthFlow.ClientCredentials)
        {
            await sharedTokens.RevokeSharedAsync(client, cancellationToken);
        }

        // Who else shares the token changed for every partner on the client; else only this partner's grant did.
        await foreach (var workspace in workspaces.ListUsingAsync(client.Ref, cancellationToken, partnerId: granteesChanged ? null : partnerId))
        {
            cache.Remove(workspace.Ref);
        }
    }
}
