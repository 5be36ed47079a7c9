using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Clients;

/// <summary>
/// Makes a changed grant hold at once on this instance: tokens held in memory for the partner's
/// workspaces on the client are dropped, so the next call checks the grant. Other instances check
/// it when their held token is next re-read (within a minute, see <see cref="TokenService"/>).
/// </summary>
public sealed class GrantChanges(WorkspaceRepository workspaces, TokenCache cache)
{
    /// <summary>Drops held tokens of <paramref name="partnerId"/>'s workspaces on <paramref name="client"/>.</summary>
    public async Task AppliedAsync(OAuthClient client, string partnerId, CancellationToken cancellationToken)
    {
        await foreach (var workspace in workspaces.ListUsingAsync(client.Ref, cancellationToken, partnerId: partnerId))
        {
            cache.Remove(workspace.Ref);
        }
    }
}
