using ProcoreConnect.Clients;
using ProcoreConnect.Procore;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tokens;

/// <summary>
/// Keeps what Procore answered for a workspace: new tokens persisted (crash-safe, through
/// <see cref="TokenPersister"/>) and cached, or a failed refresh recorded on the row; and tells the
/// partner when its workspace connected, broke or recovered.
/// </summary>
public sealed class TokenKeeper(TokenPersister persister, HeldTokens held, Events.EventPublisher events)
{
    /// <summary>
    /// Persists <paramref name="tokens"/> and caches the access token. With <paramref name="connected"/>
    /// (a code exchange or an imported refresh token) the grant is new: the connection counts as
    /// made again and the partner is told it connected. With a <paramref name="batch"/>, the new index
    /// entry goes to it (see <see cref="TokenPersister.PersistReportingAsync"/>).
    /// </summary>
    public async Task<(Workspace Saved, CachedToken Token)> KeepAsync(
        Workspace workspace, ProcoreTokenResponse tokens, bool connected, DueIndexBatch? batch, CancellationToken cancellationToken)
    {
        var (before, saved) = await persister.PersistReportingAsync(workspace, tokens, cancellationToken, batch, reconnected: connected);
        var token = held.Cache(saved, tokens.AccessToken);
        if (connected)
        {
            await PublishConnectedAsync(saved);
        }

        await PublishChangeAsync(before, saved);
        return (saved, token);
    }

    /// <summary>
    /// Records a failed refresh on the row (see <see cref="TokenPersister.RecordFailureAsync"/>) and
    /// answers <paramref name="status"/> with when to try again; the row as recorded, or null when
    /// the workspace is gone.
    /// </summary>
    public async Task<(TokenOutcome Outcome, Workspace? After)> RecordFailureAsync(
        Workspace workspace, TokenStatus status, string detail, WorkspaceStatus newStatus, string reason, bool transient)
    {
        if (await persister.RecordFailureAsync(workspace, newStatus, detail, reason, transient, CancellationToken.None) is { } change)
        {
            await PublishChangeAsync(change.Before, change.After);
            return (new TokenOutcome(status, Detail: detail, RetryAt: change.After.Health.RetryAt), change.After);
        }

        return (new TokenOutcome(status, Detail: detail), null);
    }

    /// <summary>Tells the partner the workspace is connected.</summary>
    public Task PublishConnectedAsync(Workspace workspace) => PublishAsync(workspace, Events.EventTypes.Connected, null);

    private Task PublishAsync(Workspace workspace, string type, object? data) =>
        events.PublishAsync(workspace.PartnerId, workspace.Id, type, data ?? new { workspace.CompanyId }, CancellationToken.None);

    // Broken and recovered are news once: only a change of the row's health is sent.
    private async Task PublishChangeAsync(Workspace before, Workspace after)
    {
        if (ConnectionHealth.EventOf(before.Health, after.Health) is { } type)
        {
            await PublishAsync(after, type, new { after.CompanyId, reason = after.Health.BrokenReason ?? before.Health.BrokenReason });
        }
    }
}
