using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ProcoreConnect.Clients;
using ProcoreConnect.Procore;
using ProcoreConnect.Secrets;
using ProcoreConnect.Storage;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tokens;

/// <summary>
/// Stores tokens Procore just issued, in an order that survives a crash between any two steps:
/// <list type="number">
/// <item>the new tokens (refresh and access, one <see cref="TokenSecret"/>) to the secret store,
/// as a new version (the old refresh token is already dead at Procore);</item>
/// <item>the new due time into the refresh index;</item>
/// <item>the row, pointed at the new version (conditional on its ETag);</item>
/// <item>the old index entry removed (best effort).</item>
/// </list>
/// A refresh that is part of a batch (the sweep, a queue message) hands steps 2 and 4 to its
/// <see cref="DueIndexBatch"/>, which writes them a hundred per transaction once the batch ends.
/// A crash after step 1 leaves a version newer than the row's; the next refresh uses the newest
/// version, so the refresh token is not lost. One that cannot be written after every attempt is
/// kept in memory, and the next refresh in this process uses it.
/// <para>
/// Old versions are not disabled: their refresh token is already dead at Procore, their access
/// token expires within the hour, and whoever can read them can read the current ones. Disabling
/// would double the secret-store writes of every refresh, and Key Vault allows a vault about 4,000
/// transactions per 10 seconds. Deleting a workspace deletes every version.
/// </para>
/// </summary>
public sealed class TokenPersister(
    ISecretStore secrets,
    WorkspaceRepository workspaces,
    RefreshDueIndex index,
    TimeProvider time,
    IOptions<TokenOptions> options,
    ILogger<TokenPersister> logger)
{
    private readonly ConcurrentDictionary<string, string> _unpersistedRefreshTokens = new();

    /// <summary>A refresh token Procore issued for this workspace (by its key) that is not in the secret store yet, if any.</summary>
    public string? UnpersistedRefreshToken(string workspaceKey) =>
        _unpersistedRefreshTokens.TryGetValue(workspaceKey, out var token) ? token : null;

    /// <summary>
    /// Persists <paramref name="tokens"/> for the workspace and marks it connected and healthy. With
    /// a <paramref name="batch"/>, the new index entry goes to it and the old one is the caller's
    /// to remove once the batch is written.
    /// </summary>
    public async Task<Workspace> PersistAsync(Workspace workspace, ProcoreTokenResponse tokens, CancellationToken cancellationToken, DueIndexBatch? batch = null) =>
        (await PersistReportingAsync(workspace, tokens, cancellationToken, batch)).After;

    /// <summary>As <see cref="PersistAsync"/>, with the row as it was just before the write (to tell what changed).</summary>
    public async Task<(Workspace Before, Workspace After)> PersistReportingAsync(
        Workspace workspace, ProcoreTokenResponse tokens, CancellationToken cancellationToken, DueIndexBatch? batch = null, bool reconnected = false)
    {
        if (tokens.RefreshToken is { } refreshToken)
        {
            _unpersistedRefreshTokens[workspace.Key] = refreshToken;
        }

        var secret = new TokenSecret(tokens.AccessToken, tokens.RefreshToken).Serialize();
        var stored = await WithRetriesAsync(
            () => secrets.SetAsync(SecretNames.Tokens(workspace.SecretPrefix), secret, CancellationToken.None), workspace.Id);
        var expiresAt = time.GetUtcNow().AddSeconds(tokens.ExpiresIn);
        var dueAt = expiresAt - options.Value.RefreshLeadTime;
        var due = new DueWorkspace(workspace.Ref, workspace.Key, dueAt);
        if (batch is null)
        {
            await WithRetriesAsync(async () => await index.ScheduleAsync(due, CancellationToken.None), workspace.Id);
        }
        else
        {
            batch.Schedule(due);
        }

        var current = workspace;
        for (var attempt = 1; ; attempt++)
        {
            var changed = current with
            {
                Health = reconnected ? current.Health.Reconnected() : current.Health.Refreshed(),
                Status = WorkspaceStatus.Connected,
                Tokens = stored,
                AccessTokenIssuedAt = time.GetUtcNow(),
                AccessTokenExpiresAt = expiresAt,
                RefreshDueAt = dueAt,
                LastError = null,
                UpdatedAt = time.GetUtcNow(),
            };
            try
            {
                var saved = await workspaces.UpdateAsync(changed, CancellationToken.None);
                _unpersistedRefreshTokens.TryRemove(workspace.Key, out _);
                if (batch is null)
                {
                    await RetireAsync(workspace, current, dueAt);
                }

                return (current, saved);
            }
            catch (ConcurrencyConflictException) when (attempt < options.Value.PersistAttempts)
            {
                // Someone changed other fields meanwhile (a settings update): re-read and re-apply ours.
                current = await workspaces.FindAsync(workspace.Ref, CancellationToken.None) is { } reread && reread.Key == workspace.Key
                    ? reread
                    : throw new InvalidOperationException($"Workspace '{workspace.Ref}' disappeared during a token update.");
            }
        }
    }

    /// <summary>
    /// Records a failed refresh (see <see cref="ConnectionHealth"/>): the status it leaves, the error,
    /// the back-off, and whether it broke the connection; re-reads on conflict. Returns the row as
    /// it was and as it is (null when the workspace is gone).
    /// </summary>
    public async Task<(Workspace Before, Workspace After)?> RecordFailureAsync(
        Workspace workspace, WorkspaceStatus status, string error, string reason, bool transient, CancellationToken cancellationToken)
    {
        Workspace? before = null;
        var after = await workspaces.ChangeAsync(workspace.Ref, current =>
        {
            before = current;
            return current with
            {
                Status = status,
                LastError = error,
                Health = current.Health.RefreshFailed(reason, transient, time.GetUtcNow()),
                UpdatedAt = time.GetUtcNow(),
            };
        }, cancellationToken, options.Value.PersistAttempts, workspace.Key);
        return after is null ? null : (before!, after);
    }

    private async Task WithRetriesAsync(Func<Task> write, string workspaceId) =>
        await WithRetriesAsync(async () => { await write(); return true; }, workspaceId);

    private async Task<T> WithRetriesAsync<T>(Func<Task<T>> write, string workspaceId)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await write();
            }
            catch (Exception ex) when (attempt < options.Value.PersistAttempts && ex is not OperationCanceledException)
            {
                logger.LogWarning("Writing a token of workspace {WorkspaceId} failed (attempt {Attempt}); retrying", workspaceId, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), time);
            }
        }
    }

    private async Task RetireAsync(Workspace original, Workspace replaced, DateTimeOffset newDue)
    {
        if (replaced.RefreshDueAt is not { } oldDue || oldDue == newDue)
        {
            return;
        }

        try
        {
            await index.RemoveAsync(new DueWorkspace(original.Ref, original.Key, oldDue), CancellationToken.None);
        }
#pragma warning disable CA1031 // A stale index entry is skipped by the sweep; never worth failing a refresh.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogWarning(ex, "Could not remove an old refresh index entry of workspace {WorkspaceId}", original.Id);
        }
    }
}
