using Microsoft.Extensions.Options;
using ProcoreConnect.Clients;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Refresh;

/// <summary>
/// The sweep's refresh of one due index entry, under the lease the sweep took for it: a workspace's
/// grant (<see cref="RefreshAttempt"/>) or a client's shared token (<see cref="ClientTokenFetcher"/>),
/// if the entry is still the stored one and due. A lease with less than half its time left is not
/// trusted to outlast a refresh: the entry is skipped, and the next sweep takes it. Refreshed and
/// stale entries stay in the index for the sweep to remove with its batch.
/// </summary>
public sealed class DueEntryRefresher(
    RefreshGate gate,
    WorkspaceRepository workspaces,
    RefreshAttempt attempt,
    ClientTokenStore sharedTokens,
    ClientTokenFetcher fetcher,
    TimeProvider time,
    IOptions<TokenOptions> options,
    ILogger<DueEntryRefresher> logger)
{
    /// <summary>Refreshes the entry if it is due; a failure is the entry's alone, and the next sweep retries it.</summary>
    public async Task<RefreshResult> RefreshAsync(DueRefresh entry, RefreshLease lease, ClientLookup lookup, DueIndexBatch batch, CancellationToken cancellationToken)
    {
        try
        {
            return entry.DueAt > time.GetUtcNow() ? RefreshResult.Skipped : entry switch
            {
                DueWorkspace workspace => await RefreshAsync(workspace, lease, lookup, batch, cancellationToken),
                DueClientToken token => await RefreshAsync(token, lease, lookup, cancellationToken),
                _ => RefreshResult.Stale,
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Refresh of {Subject} failed; the next sweep retries", entry.Subject);
            return RefreshResult.Failed;
        }
    }

    /// <summary>
    /// Refreshes the workspace if the entry is still the row's and due, reading the row once. The
    /// new index entry goes to <paramref name="batch"/>.
    /// </summary>
    public Task<RefreshResult> RefreshAsync(DueWorkspace entry, RefreshLease lease, ClientLookup lookup, DueIndexBatch batch, CancellationToken cancellationToken) =>
        gate.InGateAsync(entry.Workspace, async () => gate.Trusts(lease) ? await RefreshLeasedAsync(entry, lookup, batch, cancellationToken) : RefreshResult.Skipped, cancellationToken);

    /// <summary>Fetches a new shared token if the entry is still the stored one and due.</summary>
    public Task<RefreshResult> RefreshAsync(DueClientToken entry, RefreshLease lease, ClientLookup lookup, CancellationToken cancellationToken) =>
        gate.InGateAsync(entry.Token, async () => gate.Trusts(lease) ? await RefreshLeasedAsync(entry, lookup, cancellationToken) : RefreshResult.Skipped, cancellationToken);

    private async Task<RefreshResult> RefreshLeasedAsync(DueWorkspace entry, ClientLookup lookup, DueIndexBatch batch, CancellationToken cancellationToken)
    {
        var workspace = await workspaces.FindAsync(entry.Workspace, cancellationToken);
        if (workspace is { Status: WorkspaceStatus.Connected, AuthFlow: AuthFlow.AuthorizationCode, RefreshDueAt: { } rowDue }
            && workspace.Key == entry.WorkspaceKey && rowDue != entry.DueAt)
        {
            // A batch that ended between its row writes and its index write left only the old entry:
            // the row's own is put back (an upsert, harmless when it is there), or the workspace would
            // never be swept again.
            batch.Schedule(new DueWorkspace(workspace.Ref, workspace.Key, rowDue));
            return RefreshResult.Stale;
        }

        if (workspace is null || workspace.Key != entry.WorkspaceKey || workspace.Status != WorkspaceStatus.Connected
            || workspace.AuthFlow != AuthFlow.AuthorizationCode || workspace.RefreshDueAt != entry.DueAt)
        {
            return RefreshResult.Stale;
        }

        if (!options.Value.IsDue(workspace.AccessTokenExpiresAt, time.GetUtcNow()) || workspace.Health.CoolingDown(time.GetUtcNow()))
        {
            return RefreshResult.Skipped;
        }

        var outcome = await attempt.RefreshDueAsync(workspace, await lookup.FindAsync(workspace.Client), batch, cancellationToken);
        return outcome.Status switch
        {
            // Procore failing while the current token is still valid also answers Ok, with that token:
            // only a new token is a refresh, else the entry would go and the workspace never be swept again.
            TokenStatus.Ok when outcome.Token!.Reference != workspace.Tokens => RefreshResult.Refreshed,
            TokenStatus.Ok => RefreshResult.Failed,
            TokenStatus.NeedsReauthorization => RefreshResult.Stale,
            _ => RefreshResult.Failed,
        };
    }

    private async Task<RefreshResult> RefreshLeasedAsync(DueClientToken entry, ClientLookup lookup, CancellationToken cancellationToken)
    {
        var client = await lookup.FindAsync(entry.Token.Client);
        var stored = await sharedTokens.FindAsync(entry.Token, cancellationToken);
        if (client is not { Status: OAuthClientStatus.Active, AuthFlow: AuthFlow.ClientCredentials } || stored is null || stored.RefreshDueAt != entry.DueAt)
        {
            return RefreshResult.Stale;
        }

        if (!options.Value.IsDue(stored.ExpiresAt, time.GetUtcNow()) || client.TokenHealthIn(entry.Token.Environment).CoolingDown(time.GetUtcNow()))
        {
            return RefreshResult.Skipped;
        }

        var outcome = await fetcher.FetchAsync(entry.Token, client, stored, cancellationToken, leaveOldEntry: true);
        return outcome.Status switch
        {
            // The old token handed back while Procore fails is no refresh: the entry stays for the next sweep.
            TokenStatus.Ok when outcome.Token!.Reference != stored.Token => RefreshResult.Refreshed,
            TokenStatus.Ok => RefreshResult.Failed,
            TokenStatus.InvalidClient => RefreshResult.Stale,
            _ => RefreshResult.Failed,
        };
    }
}
