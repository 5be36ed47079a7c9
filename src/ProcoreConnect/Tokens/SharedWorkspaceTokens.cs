using ProcoreConnect.Clients;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tokens;

/// <summary>
/// A client-credentials workspace's token: its client's shared token (<see cref="ClientTokenService"/>)
/// with the workspace's own company. The first one a pending workspace gets connects it.
/// </summary>
public sealed class SharedWorkspaceTokens(
    OAuthClientRepository clients,
    ClientTokenService clientTokens,
    WorkspaceRepository workspaces,
    CompanyAccess access,
    TokenCache cache,
    TokenKeeper keeper,
    TimeProvider time)
{
    /// <summary>
    /// The workspace's cached entry while it still holds its client's current token, without I/O;
    /// null when the client's token is not held in memory, is due, or is another one by now.
    /// </summary>
    public CachedToken? Follow(CachedToken entry, ClientTokenKey key) =>
        // A newer shared token goes through the full path once: whether it may be shown is decided for
        // each token against the grants as they are now, never carried over from the one it replaced.
        clientTokens.Hot(key) is { } shared && shared.Reference == entry.Reference ? entry : null;

    /// <summary>The client's shared token for the workspace, fetched anew when <paramref name="issuedSince"/> asks for one issued since then.</summary>
    public async Task<TokenOutcome> GetAsync(Workspace workspace, DateTimeOffset? issuedSince, CancellationToken cancellationToken)
    {
        var client = await clients.FindAsync(workspace.Client, cancellationToken);
        if (client is not { Status: OAuthClientStatus.Active })
        {
            return new TokenOutcome(TokenStatus.InvalidClient, Detail: $"The workspace's OAuth client '{workspace.Client.Name}' no longer exists.");
        }

        var outcome = issuedSince is { } since
            ? await clientTokens.FetchNowAsync(client, workspace.Environment, since, cancellationToken)
            : await clientTokens.GetAsync(client, workspace.Environment, cancellationToken);
        if (outcome.Token is not { } shared)
        {
            return new TokenOutcome(outcome.Status, Detail: outcome.Detail, RetryAt: outcome.RetryAt);
        }

        var current = workspace.Status == WorkspaceStatus.Pending ? await ConnectAsync(workspace, cancellationToken) : workspace;

        // A DMSA token reaches every company that installed the app; shared by several partners, it is shown to none.
        var withheld = await access.TokenReachesOthersAsync(current.Client, cancellationToken);
        var entry = new CachedToken
        {
            WorkspaceKey = current.Key,
            Reference = shared.Reference,
            AccessToken = shared.AccessToken,
            ExpiresAt = shared.ExpiresAt,
            CompanyId = current.CompanyId,
            Environment = current.Environment,
            CheckedAt = time.GetUtcNow(),
            Shared = new ClientTokenKey(current.Client, current.Environment),
            Withheld = withheld,
        };
        cache.Set(current.Ref, entry);
        return new TokenOutcome(TokenStatus.Ok, entry);
    }

    // The first token a client-credentials workspace gets connects it: one row write, once.
    private async Task<Workspace> ConnectAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        var connected = await workspaces.ChangeAsync(workspace.Ref, w => w.Status == WorkspaceStatus.Pending
            ? w with { Status = WorkspaceStatus.Connected, LastError = null, UpdatedAt = time.GetUtcNow() }
            : null, cancellationToken, key: workspace.Key);
        if (connected is null)
        {
            return workspace;
        }

        await keeper.PublishConnectedAsync(connected);
        return connected;
    }
}
