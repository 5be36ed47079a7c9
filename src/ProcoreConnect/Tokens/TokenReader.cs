using Microsoft.Extensions.Options;
using ProcoreConnect.Clients;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tokens;

/// <summary>
/// Hands out valid access tokens for workspaces: from memory on the hot path, else loaded and,
/// when due, refreshed first by exactly one caller (<see cref="RefreshProtocol"/>). A
/// client-credentials workspace gets its client's shared token (<see cref="SharedWorkspaceTokens"/>)
/// with its own company.
/// </summary>
public sealed class TokenReader(
    TokenCache cache,
    TokenEligibility eligibility,
    SharedWorkspaceTokens shared,
    RefreshGate gate,
    RefreshProtocol protocol,
    TimeProvider time,
    IOptions<TokenOptions> options)
{
    // A cached token is re-checked against the row this often, so a change made through another
    // instance (new settings, a reconnect, a delete) reaches this one within a minute.
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The workspace's token when it is held in memory and may be handed out without any I/O (not
    /// due, re-checked against the row within the last minute); null when a call would have to load
    /// or refresh it.
    /// </summary>
    public CachedToken? Hot(WorkspaceRef workspace)
    {
        var entry = cache.Get(workspace);
        var now = time.GetUtcNow();
        if (entry is null || now - entry.CheckedAt >= RecheckInterval)
        {
            return null;
        }

        if (entry.Shared is { } key)
        {
            // A client-credentials workspace follows its client's token as it is refreshed.
            return shared.Follow(entry, key);
        }

        // Backing off after a failed refresh: the token, still valid, is handed out without trying again.
        var cooling = entry.CoolingUntil > now && entry.ExpiresAt > now;
        return options.Value.IsDue(entry.ExpiresAt, now) && !cooling ? null : entry;
    }

    /// <summary>A valid access token for the workspace, refreshed first when it is due.</summary>
    public async Task<TokenOutcome> GetTokenAsync(WorkspaceRef workspace, CancellationToken cancellationToken)
    {
        if (Hot(workspace) is { } hot)
        {
            return new TokenOutcome(TokenStatus.Ok, hot);
        }

        return await gate.InGateAsync(workspace, async () => Hot(workspace) is { } cached
            ? new TokenOutcome(TokenStatus.Ok, cached)
            : await LoadAsync(workspace, issuedSince: null, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// A token issued no earlier than this call: refreshed now (a client-credentials workspace's
    /// shared token fetched anew), under the same single-flight rules. Callers arriving together
    /// share one refresh: whoever waited gets the token the first one got. The back-off after
    /// failed refreshes holds here too.
    /// </summary>
    public Task<TokenOutcome> RefreshNowAsync(WorkspaceRef workspace, CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow();
        return gate.InGateAsync(workspace, () => LoadAsync(workspace, since, cancellationToken), cancellationToken);
    }

    private async Task<TokenOutcome> LoadAsync(WorkspaceRef workspaceRef, DateTimeOffset? issuedSince, CancellationToken cancellationToken)
    {
        var (workspace, refused) = await eligibility.CheckAsync(workspaceRef, importing: false, cancellationToken);
        if (workspace is null)
        {
            return refused!;
        }

        return workspace.AuthFlow == AuthFlow.ClientCredentials
            ? await shared.GetAsync(workspace, issuedSince, cancellationToken)
            : await protocol.RefreshAsync(workspace, issuedSince, cancellationToken);
    }
}
