using ProcoreConnect.Procore;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tokens;

/// <summary>
/// Stores a new grant as a workspace's tokens and connects it: a person's code exchange (under the
/// workspace's refresh lease, replacing the grant it held), or a refresh token redeemed for a
/// workspace just written.
/// </summary>
public sealed class GrantConnector(RefreshGate gate, WorkspaceRepository workspaces, HeldTokens held, TokenKeeper keeper)
{
    /// <summary>
    /// Stores a person's new grant (a code exchange) under the workspace's refresh lease, so no
    /// refresh of the grant it replaces is in flight or lands after it, and answers that replaced
    /// grant's newest access token for the caller to revoke. <see cref="Reconnection.Saved"/> is null
    /// when the workspace went away meanwhile or another holder kept the lease: the new grant is
    /// then the caller's to revoke.
    /// </summary>
    public async Task<Reconnection> ReconnectAsync(Workspace workspace, ProcoreTokenResponse tokens, CancellationToken cancellationToken)
    {
        var (leased, done) = await gate.HoldingLeaseAsync(workspace, async () =>
        {
            var current = await workspaces.FindVisibleAsync(workspace.Ref, CancellationToken.None);
            if (current is null || current.Key != workspace.Key)
            {
                return new Reconnection(null, null);
            }

            var replaced = current.Tokens is null ? null : await held.NewestAccessTokenAsync(current, CancellationToken.None);
            return new Reconnection(await ConnectAsync(current, tokens, CancellationToken.None), replaced);
        }, cancellationToken);
        return leased ? done : new Reconnection(null, null);
    }

    /// <summary>Stores tokens of a new grant, caches the access token and tells the partner the workspace connected.</summary>
    public async Task<Workspace> ConnectAsync(Workspace workspace, ProcoreTokenResponse tokens, CancellationToken cancellationToken) =>
        (await keeper.KeepAsync(workspace, tokens, connected: true, batch: null, cancellationToken)).Saved;
}
