using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ProcoreConnect.Procore;
using ProcoreConnect.Secrets;
using ProcoreConnect.Telemetry;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tokens;

/// <summary>
/// Hands out valid access tokens. A token within the lead time is refreshed first, by exactly one
/// caller: a semaphore per workspace in this process, and a lease in Table Storage across instances.
/// </summary>
public sealed class TokenService(
    WorkspaceRepository workspaces,
    ISecretStore secrets,
    SecretVersionCache secretVersions,
    ProcoreOAuthClient oauth,
    TokenPersister persister,
    RefreshLeaseStore leases,
    TokenCache cache,
    ConnectTelemetry telemetry,
    Events.EventPublisher events,
    TimeProvider time,
    IOptions<TokenOptions> options,
    ILogger<TokenService> logger)
{
    // A cached token is re-checked against the row this often, so a change made through another
    // instance (new settings, a reconnect) reaches this one within a minute.
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan LeasePoll = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new();
    private readonly string _instance = Guid.NewGuid().ToString("N");

    /// <summary>
    /// A valid access token for the workspace, refreshed first when it is due. With a
    /// <paramref name="partnerId"/>, another partner's workspace is reported as not found.
    /// </summary>
    public async Task<TokenOutcome> GetTokenAsync(string workspaceId, CancellationToken cancellationToken, string? partnerId = null)
    {
        if (Usable(cache.Get(workspaceId)) is { } hot)
        {
            return Owns(hot.OwnerPartnerId, partnerId) ? new TokenOutcome(TokenStatus.Ok, hot) : new TokenOutcome(TokenStatus.NotFound);
        }

        return await InGateAsync(workspaceId, async () => Usable(cache.Get(workspaceId)) is { } cached
            ? Owns(cached.OwnerPartnerId, partnerId) ? new TokenOutcome(TokenStatus.Ok, cached) : new TokenOutcome(TokenStatus.NotFound)
            : await LoadOrRefreshAsync(workspaceId, partnerId, force: false, clientSecret: null, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Refreshes now, whatever the expiry, with <paramref name="clientSecret"/> instead of the
    /// stored one: secret rotation proves a new secret this way before making it current.
    /// </summary>
    public Task<TokenOutcome> RefreshWithSecretAsync(string workspaceId, string clientSecret, CancellationToken cancellationToken) =>
        InGateAsync(workspaceId, () => LoadOrRefreshAsync(workspaceId, partnerId: null, force: true, clientSecret, cancellationToken), cancellationToken);

    /// <summary>
    /// The refresh sweep's entry point: refreshes the workspace if the index entry is still the
    /// row's and due, reading the row once, under the lease. A lease held elsewhere means another
    /// instance is on it. A refreshed entry stays in the index for the caller to remove.
    /// </summary>
    public Task<Refresh.RefreshResult> RefreshDueAsync(Refresh.DueRefresh entry, CancellationToken cancellationToken) =>
        InGateAsync(entry.WorkspaceId, () => RefreshDueUnderGateAsync(entry, cancellationToken), cancellationToken);

    /// <summary>
    /// As <see cref="RefreshDueAsync"/>, under a lease the caller took (the sweep takes them in
    /// batches) and releases. A lease with less than half its time left is not trusted to outlast
    /// a refresh: the entry is skipped, and the next sweep takes it.
    /// </summary>
    public Task<Refresh.RefreshResult> RefreshDueAsync(Refresh.DueRefresh entry, RefreshLease lease, CancellationToken cancellationToken) =>
        InGateAsync(entry.WorkspaceId, () => lease.ExpiresAt - time.GetUtcNow() < options.Value.LeaseDuration / 2
            ? Task.FromResult(Refresh.RefreshResult.Skipped)
            : RefreshDueLeasedAsync(entry, cancellationToken), cancellationToken);

    private async Task<Refresh.RefreshResult> RefreshDueUnderGateAsync(Refresh.DueRefresh entry, CancellationToken cancellationToken)
    {
        var lease = await leases.TryAcquireAsync(entry.WorkspaceId, _instance, cancellationToken);
        if (lease is null)
        {
            return Refresh.RefreshResult.Skipped;
        }

        try
        {
            return await RefreshDueLeasedAsync(entry, cancellationToken);
        }
        finally
        {
            await leases.ReleaseAsync(lease, CancellationToken.None);
        }
    }

    private async Task<Refresh.RefreshResult> RefreshDueLeasedAsync(Refresh.DueRefresh entry, CancellationToken cancellationToken)
    {
        var workspace = await workspaces.FindAsync(entry.WorkspaceId, cancellationToken);
        if (workspace is null || workspace.Status != WorkspaceStatus.Connected || workspace.RefreshDueAt != entry.DueAt)
        {
            return Refresh.RefreshResult.Stale;
        }

        if (!IsDue(workspace.AccessTokenExpiresAt))
        {
            return Refresh.RefreshResult.Skipped;
        }

        var outcome = await RefreshAsync(workspace, null, cancellationToken, leaveOldEntry: true);
        return outcome.Status switch
        {
            TokenStatus.Ok => Refresh.RefreshResult.Refreshed,
            TokenStatus.NeedsReauthorization => Refresh.RefreshResult.Stale,
            _ => Refresh.RefreshResult.Failed,
        };
    }

    /// <summary>Stores tokens from a code exchange and caches the access token.</summary>
    public async Task<Workspace> ConnectAsync(Workspace workspace, ProcoreTokenResponse tokens, CancellationToken cancellationToken)
    {
        var saved = await persister.PersistAsync(workspace, tokens, cancellationToken);
        Cache(saved, tokens.AccessToken);
        await PublishAsync(saved, Events.EventTypes.Connected, null);
        return saved;
    }

    private Task PublishAsync(Workspace workspace, string type, object? data) =>
        events.PublishAsync(workspace.OwnerPartnerId, workspace.Id, type, data ?? new { workspace.CompanyId }, CancellationToken.None);

    // One caller per workspace at a time in this process: the in-process half of single flight.
    private async Task<T> InGateAsync<T>(string workspaceId, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(workspaceId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await work();
        }
        finally
        {
            gate.Release();
        }
    }

    private static bool Owns(string? owner, string? partnerId) =>
        partnerId is null || string.Equals(owner, partnerId, StringComparison.Ordinal);

    private CachedToken? Usable(CachedToken? token) =>
        token is not null && !IsDue(token.ExpiresAt) && time.GetUtcNow() - token.CheckedAt < RecheckInterval ? token : null;

    private bool IsDue(DateTimeOffset? expiresAt) => expiresAt is null || expiresAt.Value - options.Value.RefreshLeadTime <= time.GetUtcNow();

    private bool IsFresh(Workspace workspace) => workspace.Tokens is not null && !IsDue(workspace.AccessTokenExpiresAt);

    private async Task<TokenOutcome> LoadOrRefreshAsync(string workspaceId, string? partnerId, bool force, string? clientSecret, CancellationToken cancellationToken)
    {
        var workspace = await workspaces.FindAsync(workspaceId, cancellationToken);
        if (workspace is null || workspace.Status == WorkspaceStatus.Deleting)
        {
            cache.Remove(workspaceId);
            return new TokenOutcome(TokenStatus.NotFound);
        }

        if (!Owns(workspace.OwnerPartnerId, partnerId))
        {
            // Another partner's workspace looks missing; its cached token stays for its owner.
            return new TokenOutcome(TokenStatus.NotFound);
        }

        if (Refusal(workspace) is { } refusal)
        {
            cache.Remove(workspaceId);
            return refusal;
        }

        if (!force && IsFresh(workspace))
        {
            return await FromStoreAsync(workspace, cancellationToken);
        }

        var deadline = time.GetUtcNow() + options.Value.LeaseWait;
        while (true)
        {
            var lease = await leases.TryAcquireAsync(workspaceId, _instance, cancellationToken);
            if (lease is not null)
            {
                try
                {
                    // Re-read under the lease: another instance may have refreshed meanwhile.
                    workspace = await workspaces.FindAsync(workspaceId, cancellationToken) ?? workspace;
                    return !force && IsFresh(workspace)
                        ? await FromStoreAsync(workspace, cancellationToken)
                        : await RefreshAsync(workspace, clientSecret, cancellationToken);
                }
                finally
                {
                    await leases.ReleaseAsync(lease, CancellationToken.None);
                }
            }

            if (time.GetUtcNow() >= deadline)
            {
                return new TokenOutcome(TokenStatus.Busy, Detail: "Another instance is refreshing this workspace's token; retry shortly.");
            }

            await Task.Delay(LeasePoll, time, cancellationToken);
            workspace = await workspaces.FindAsync(workspaceId, cancellationToken) ?? workspace;
            if (!force && IsFresh(workspace))
            {
                return await FromStoreAsync(workspace, cancellationToken);
            }
        }
    }

    private static TokenOutcome? Refusal(Workspace workspace) => workspace.Status switch
    {
        WorkspaceStatus.Disabled => new TokenOutcome(TokenStatus.NotConnected, Detail: "The workspace is disabled."),
        WorkspaceStatus.NeedsReauthorization => new TokenOutcome(
            TokenStatus.NeedsReauthorization, Detail: workspace.LastError ?? "Procore refused the refresh token; connect the workspace again."),
        WorkspaceStatus.Pending when workspace.AuthFlow == AuthFlow.AuthorizationCode => new TokenOutcome(
            TokenStatus.NotConnected, Detail: "The workspace is not connected yet: open /api/workspaces/{id}/connect in a browser."),
        _ => null,
    };

    private async Task<TokenOutcome> FromStoreAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        var cached = cache.Get(workspace.Id);
        var token = cached is not null && cached.Reference == workspace.Tokens
            ? cached.AccessToken
            : TokenSecret.Parse(await secrets.GetAsync(workspace.Tokens!, cancellationToken)).AccessToken;
        return new TokenOutcome(TokenStatus.Ok, Cache(workspace, token));
    }

    private CachedToken Cache(Workspace workspace, string accessToken)
    {
        var entry = new CachedToken(
            workspace.OwnerPartnerId,
            workspace.Tokens!, accessToken, workspace.AccessTokenExpiresAt!.Value, workspace.CompanyId, workspace.Environment, time.GetUtcNow());
        cache.Set(workspace.Id, entry);
        return entry;
    }

    private async Task<TokenOutcome> RefreshAsync(Workspace workspace, string? clientSecretOverride, CancellationToken cancellationToken, bool leaveOldEntry = false)
    {
        using var activity = ConnectTelemetry.Activities.StartActivity("refresh");
        activity?.SetTag("workspace.id", workspace.Id);
        activity?.SetTag("auth_flow", Common.WireName.Of(workspace.AuthFlow));
        var outcome = await RefreshCoreAsync(workspace, clientSecretOverride, leaveOldEntry, cancellationToken);
        var label = outcome.Status switch
        {
            TokenStatus.Ok => "succeeded",
            TokenStatus.NeedsReauthorization => "needs_reauthorization",
            TokenStatus.InvalidClient => "invalid_client",
            _ => "failed",
        };
        activity?.SetTag("outcome", label);
        telemetry.Refreshed(Common.WireName.Of(workspace.AuthFlow), label, time.GetUtcNow() - workspace.AccessTokenIssuedAt);
        return outcome;
    }

    private async Task<TokenOutcome> RefreshCoreAsync(Workspace workspace, string? clientSecretOverride, bool leaveOldEntry, CancellationToken cancellationToken)
    {
        var clientSecret = clientSecretOverride ?? await secretVersions.GetAsync(workspace.ClientSecret, cancellationToken);
        ProcoreTokenResult result;
        if (workspace.AuthFlow == AuthFlow.ClientCredentials)
        {
            result = await oauth.ClientCredentialsAsync(workspace.Environment, workspace.ClientId, clientSecret, cancellationToken);
        }
        else
        {
            // The newest version, not necessarily the row's: a crash after the secret write and
            // before the row update leaves the live token one version ahead of the row.
            var refreshToken = persister.UnpersistedRefreshToken(workspace.Id)
                ?? (await secrets.GetLatestAsync(SecretNames.Tokens(workspace.SecretPrefix), cancellationToken) is { } latest
                    ? TokenSecret.Parse(latest.Value).RefreshToken
                    : workspace.Tokens is { } reference ? TokenSecret.Parse(await secrets.GetAsync(reference, cancellationToken)).RefreshToken : null);
            if (refreshToken is null)
            {
                await persister.MarkAsync(workspace, WorkspaceStatus.NeedsReauthorization, "No refresh token is held; connect the workspace again.", cancellationToken);
                return new TokenOutcome(TokenStatus.NeedsReauthorization, Detail: "No refresh token is held; connect the workspace again.");
            }

            // From here until PersistAsync has written the new refresh token, the old one may already be dead at Procore.
            result = await oauth.RefreshAsync(workspace.Environment, workspace.ClientId, clientSecret, refreshToken, CancellationToken.None);
            if (result.Tokens is { RefreshToken: null } withoutRefreshToken)
            {
                // Procore always rotates; should an answer ever come without one, the old token is all there is.
                result = result with { Tokens = withoutRefreshToken with { RefreshToken = refreshToken } };
            }
        }

        if (result.Succeeded)
        {
            var saved = await persister.PersistAsync(workspace, result.Tokens!, CancellationToken.None, leaveOldEntry);
            logger.LogInformation("Token of workspace {WorkspaceId} refreshed ({AuthFlow}), expires {ExpiresAt}", workspace.Id, workspace.AuthFlow, saved.AccessTokenExpiresAt);
            if (workspace.Status != WorkspaceStatus.Connected)
            {
                await PublishAsync(saved, Events.EventTypes.Connected, null);
            }

            return new TokenOutcome(TokenStatus.Ok, Cache(saved, result.Tokens!.AccessToken));
        }

        cache.Remove(workspace.Id);
        if (result.IsInvalidGrant && workspace.AuthFlow == AuthFlow.AuthorizationCode)
        {
            const string Reason = "Procore refused the refresh token (invalid_grant): the connection was revoked or expired; connect the workspace again.";
            await persister.MarkAsync(workspace, WorkspaceStatus.NeedsReauthorization, Reason, cancellationToken);
            logger.LogWarning("Workspace {WorkspaceId} needs reauthorization: refresh token refused", workspace.Id);
            await PublishAsync(workspace, Events.EventTypes.NeedsReauthorization, new { reason = "invalid_grant" });
            return new TokenOutcome(TokenStatus.NeedsReauthorization, Detail: Reason);
        }

        if (result.IsInvalidClient || result.IsInvalidGrant)
        {
            var reason = $"Procore refused the client credentials ({result.Error}): check clientId, clientSecret and environment.";
            if (clientSecretOverride is null)
            {
                await persister.MarkAsync(workspace, workspace.Status, reason, cancellationToken);
            }

            return new TokenOutcome(TokenStatus.InvalidClient, Detail: reason);
        }

        logger.LogWarning("Refresh of workspace {WorkspaceId} failed: {Status} {Error}", workspace.Id, result.Status, result.Error);
        await PublishAsync(workspace, Events.EventTypes.RefreshFailed, new { procoreStatus = result.Status, error = result.Error });
        if (workspace.Tokens is not null && workspace.AccessTokenExpiresAt > time.GetUtcNow())
        {
            // Procore is failing but the current token still works: hand it out; it stays due, so the next call retries.
            return await FromStoreAsync(workspace, cancellationToken);
        }

        return new TokenOutcome(TokenStatus.ProcoreUnavailable, Detail: $"Procore's token endpoint failed ({result.Error}); retry later.");
    }
}
