using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using ProcoreConnect.Clients;
using ProcoreConnect.Procore;
using ProcoreConnect.Secrets;
using ProcoreConnect.Telemetry;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tokens;

/// <summary>
/// Hands out valid access tokens for workspaces. An authorization-code workspace has a refresh
/// token of its own: a token within the lead time is refreshed first, by exactly one caller (a
/// semaphore per workspace in this process, a lease in Table Storage across instances). A
/// client-credentials workspace gets its client's shared token (<see cref="ClientTokenService"/>)
/// with its own company id.
/// </summary>
public sealed class TokenService(
    WorkspaceRepository workspaces,
    OAuthClientRepository clients,
    ISecretStore secrets,
    SecretVersionCache secretVersions,
    ProcoreOAuthClient oauth,
    TokenPersister persister,
    RefreshLeaseStore leases,
    TokenCache cache,
    ClientTokenService clientTokens,
    ClientRefusals refusals,
    CompanyAccess access,
    ConnectTelemetry telemetry,
    Events.EventPublisher events,
    TimeProvider time,
    IOptions<TokenOptions> options,
    ILogger<TokenService> logger)
{
    // A cached token is re-checked against the row this often, so a change made through another
    // instance (new settings, a reconnect, a delete) reaches this one within a minute.
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<WorkspaceRef, SemaphoreSlim> _gates = new();
    private readonly string _instance = Guid.NewGuid().ToString("N");

    /// <summary>A valid access token for the workspace, refreshed first when it is due.</summary>
    public async Task<TokenOutcome> GetTokenAsync(WorkspaceRef workspace, CancellationToken cancellationToken)
    {
        if (Hot(workspace) is { } hot)
        {
            return new TokenOutcome(TokenStatus.Ok, hot);
        }

        return await InGateAsync(workspace, async () => Hot(workspace) is { } cached
            ? new TokenOutcome(TokenStatus.Ok, cached)
            : await LoadOrRefreshAsync(workspace, RefreshRequest.WhenDue, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// A token issued no earlier than this call: refreshed now (a client-credentials workspace's
    /// shared token fetched anew), under the same single-flight rules. Callers arriving together
    /// share one refresh: whoever waited gets the token the first one got. The back-off after
    /// failed refreshes holds here too.
    /// </summary>
    public Task<TokenOutcome> RefreshNowAsync(WorkspaceRef workspace, CancellationToken cancellationToken)
    {
        var request = new RefreshRequest(NotIssuedBefore: time.GetUtcNow());
        return InGateAsync(workspace, () => LoadOrRefreshAsync(workspace, request, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Refreshes a connected authorization-code workspace now with <paramref name="candidate"/>'s
    /// <paramref name="clientSecret"/> instead of the stored one: rotating a client's secret proves
    /// the new secret this way before making it current.
    /// </summary>
    public Task<TokenOutcome> ProveSecretAsync(WorkspaceRef workspace, OAuthClient candidate, string clientSecret, CancellationToken cancellationToken) =>
        InGateAsync(workspace, () => LoadOrRefreshAsync(workspace, new RefreshRequest(Proof: new SecretProof(candidate, clientSecret)), cancellationToken), cancellationToken);

    /// <summary>
    /// Redeems a refresh token a partner brings from elsewhere for an authorization-code workspace,
    /// once: a success stores the rotated tokens and connects the workspace; a failure records
    /// nothing on the workspace (the caller undoes what it wrote) and says whether Procore refused
    /// the token or could not be asked.
    /// </summary>
    /// <remarks>
    /// The token is presented only if the workspace still has <paramref name="expected"/>'s client and
    /// environment under the lease: a token issued to one app, presented with another's credentials,
    /// would be spent for nothing.
    /// </remarks>
    public Task<TokenOutcome> ImportAsync(Workspace expected, string refreshToken, CancellationToken cancellationToken) =>
        InGateAsync(expected.Ref, () => LoadOrRefreshAsync(expected.Ref, new RefreshRequest(ImportedRefreshToken: refreshToken, ImportInto: expected), cancellationToken), cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> holding <paramref name="workspace"/>'s refresh lease (and this
    /// process's gate), so no refresh of its grant is in flight or starts meanwhile: for a change
    /// that takes the grant away. Not held (and nothing run) when another holder keeps it past
    /// <see cref="TokenOptions.LeaseWait"/>.
    /// </summary>
    public Task<(bool Held, T Result)> HoldingRefreshLeaseAsync<T>(Workspace workspace, Func<Task<T>> work, CancellationToken cancellationToken) =>
        InGateAsync(workspace.Ref, async () =>
            await leases.RunLeasedAsync(workspace.Key, _instance, async () => new StrongBox<T>(await work()), whileWaiting: null, cancellationToken) is { } done
                ? (true, done.Value!)
                : (false, default(T)!), cancellationToken);

    /// <summary>
    /// Redeems a refresh token issued elsewhere with <paramref name="client"/> in
    /// <paramref name="environment"/>, storing nothing: for a workspace that does not hold this
    /// client and environment yet, whose row is written only once Procore accepted the token. The
    /// new tokens are the caller's to store (<see cref="ConnectAsync"/>) at once.
    /// </summary>
    public async Task<(TokenOutcome Outcome, ProcoreTokenResponse? Tokens)> RedeemAsync(
        ProcoreEnvironment environment, OAuthClient client, string refreshToken, CancellationToken cancellationToken)
    {
        if (client.SecretRefusedIn(environment))
        {
            return (new TokenOutcome(TokenStatus.InvalidClient, Detail: ClientTokenService.RefusedDetail(client, environment)), null);
        }

        var clientSecret = await secretVersions.GetAsync(client.ClientSecret, cancellationToken);
        var result = KeepingPresented(await oauth.RefreshAsync(environment, client.ClientId, clientSecret, refreshToken, CancellationToken.None), refreshToken);
        if (result.Succeeded)
        {
            return (new TokenOutcome(TokenStatus.Ok), result.Tokens);
        }

        logger.LogWarning("An imported refresh token for OAuth client {Client} failed: {Status} {Error}", client.Ref, result.Status, result.Error);
        return (ImportRefused(client, result), null);
    }

    /// <summary>
    /// The sweep's entry point: refreshes the workspace if the index entry is still the row's and
    /// due, reading the row once, under a lease: <paramref name="lease"/> when the sweep took it in
    /// a batch, else one of its own. A lease with less than half its time left is not trusted to
    /// outlast a refresh: the entry is skipped, and the next sweep takes it. The new index entry goes
    /// to <paramref name="batch"/>; a refreshed (or stale) entry stays in the index for the caller
    /// to remove once the batch is written.
    /// </summary>
    public Task<RefreshResult> RefreshDueAsync(DueWorkspace entry, RefreshLease? lease, ClientLookup lookup, DueIndexBatch batch, CancellationToken cancellationToken) =>
        InGateAsync(entry.Workspace, async () =>
        {
            if (lease is not null)
            {
                return lease.ExpiresAt - time.GetUtcNow() < options.Value.LeaseDuration / 2
                    ? RefreshResult.Skipped
                    : await RefreshDueLeasedAsync(entry, lookup, batch, cancellationToken);
            }

            var own = await leases.TryAcquireAsync(entry.Subject, _instance, cancellationToken);
            if (own is null)
            {
                return RefreshResult.Skipped;
            }

            try
            {
                return await RefreshDueLeasedAsync(entry, lookup, batch, cancellationToken);
            }
            finally
            {
                await leases.ReleaseAsync(own, CancellationToken.None);
            }
        }, cancellationToken);

    /// <summary>
    /// Stores a person's new grant (a code exchange) under the workspace's refresh lease, so no
    /// refresh of the grant it replaces is in flight or lands after it, and answers that replaced
    /// grant's newest access token for the caller to revoke. <see cref="Reconnection.Saved"/> is null
    /// when the workspace went away meanwhile or another holder kept the lease: the new grant is
    /// then the caller's to revoke.
    /// </summary>
    public async Task<Reconnection> ReconnectAsync(Workspace workspace, ProcoreTokenResponse tokens, CancellationToken cancellationToken)
    {
        var (held, done) = await HoldingRefreshLeaseAsync(workspace, async () =>
        {
            var current = await workspaces.FindVisibleAsync(workspace.Ref, CancellationToken.None);
            if (current is null || current.Key != workspace.Key)
            {
                return new Reconnection(null, null);
            }

            var replaced = current.Tokens is null ? null : await NewestAccessTokenAsync(current, CancellationToken.None);
            return new Reconnection(await ConnectAsync(current, tokens, CancellationToken.None), replaced);
        }, cancellationToken);
        return held ? done : new Reconnection(null, null);
    }

    /// <summary>Stores tokens from a code exchange and caches the access token.</summary>
    public async Task<Workspace> ConnectAsync(Workspace workspace, ProcoreTokenResponse tokens, CancellationToken cancellationToken)
    {
        var (before, saved) = await persister.PersistReportingAsync(workspace, tokens, cancellationToken, reconnected: true);
        Cache(saved, tokens.AccessToken);
        await PublishAsync(saved, Events.EventTypes.Connected, null);
        await PublishChangeAsync(before, saved);
        return saved;
    }

    private async Task<RefreshResult> RefreshDueLeasedAsync(DueWorkspace entry, ClientLookup lookup, DueIndexBatch batch, CancellationToken cancellationToken)
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

        if (!IsDue(workspace.AccessTokenExpiresAt) || workspace.Health.CoolingDown(time.GetUtcNow()))
        {
            return RefreshResult.Skipped;
        }

        var outcome = await RefreshAsync(workspace, await lookup.FindAsync(workspace.Client), RefreshRequest.WhenDue, cancellationToken, batch);
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

    private async Task<TokenOutcome> FailedAsync(
        Workspace workspace, TokenStatus status, string detail, WorkspaceStatus newStatus, string reason, bool transient) =>
        (await RecordFailureAsync(workspace, status, detail, newStatus, reason, transient)).Outcome;

    private async Task<(TokenOutcome Outcome, Workspace? After)> RecordFailureAsync(
        Workspace workspace, TokenStatus status, string detail, WorkspaceStatus newStatus, string reason, bool transient)
    {
        if (await persister.RecordFailureAsync(workspace, newStatus, detail, reason, transient, CancellationToken.None) is { } change)
        {
            await PublishChangeAsync(change.Before, change.After);
            return (new TokenOutcome(status, Detail: detail, RetryAt: change.After.Health.RetryAt), change.After);
        }

        return (new TokenOutcome(status, Detail: detail), null);
    }

    // One caller per workspace at a time in this process: the in-process half of single flight.
    private async Task<T> InGateAsync<T>(WorkspaceRef workspace, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(workspace, _ => new SemaphoreSlim(1, 1));
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

    /// <summary>
    /// The workspace's token when it is held in memory and may be handed out without any I/O (not
    /// due, re-checked against the row within the last minute); null when a call would have to load
    /// or refresh it.
    /// </summary>
    public CachedToken? Hot(WorkspaceRef workspace)
    {
        var entry = cache.Get(workspace);
        if (entry is null || time.GetUtcNow() - entry.CheckedAt >= RecheckInterval)
        {
            return null;
        }

        if (entry.Shared is not { } key)
        {
            // Backing off after a failed refresh: the token, still valid, is handed out without trying again.
            var cooling = entry.CoolingUntil > time.GetUtcNow() && entry.ExpiresAt > time.GetUtcNow();
            return IsDue(entry.ExpiresAt) && !cooling ? null : entry;
        }

        // A client-credentials workspace follows its client's token as it is refreshed.
        if (clientTokens.Hot(key) is not { } shared)
        {
            return null;
        }

        // A newer shared token goes through the full path once: whether it may be shown is decided for
        // each token against the grants as they are now, never carried over from the one it replaced.
        return shared.Reference == entry.Reference ? entry : null;
    }

    private bool IsDue(DateTimeOffset? expiresAt) => expiresAt is null || expiresAt.Value - options.Value.RefreshLeadTime <= time.GetUtcNow();

    // Whether the row's token already answers the request: not due, or (forced) issued since the request came.
    private bool Satisfies(Workspace workspace, RefreshRequest request) =>
        !request.Always && workspace.Tokens is not null
        && (request.NotIssuedBefore is { } since ? workspace.AccessTokenIssuedAt >= since : !IsDue(workspace.AccessTokenExpiresAt));

    private async Task<TokenOutcome> LoadOrRefreshAsync(WorkspaceRef workspaceRef, RefreshRequest request, CancellationToken cancellationToken)
    {
        var workspace = await workspaces.FindVisibleAsync(workspaceRef, cancellationToken);
        if (workspace is null)
        {
            cache.Remove(workspaceRef);
            return new TokenOutcome(TokenStatus.NotFound);
        }

        // A public client serves a partner's company only while the operator grants it (CompanyAccess).
        if (!await access.AllowsAsync(workspace, cancellationToken))
        {
            cache.Remove(workspaceRef);
            return new TokenOutcome(TokenStatus.GrantRevoked, Detail: GrantRevokedDetail(workspace));
        }

        // An imported refresh token is what connects a pending workspace or mends a broken one.
        if (request.ImportedRefreshToken is null && Refusal(workspace) is { } refusal)
        {
            cache.Remove(workspaceRef);
            return refusal;
        }

        if (workspace.AuthFlow == AuthFlow.ClientCredentials)
        {
            return request.ImportedRefreshToken is null
                ? await SharedAsync(workspace, request.NotIssuedBefore, cancellationToken)
                : new TokenOutcome(TokenStatus.InvalidClient, Detail: "A client-credentials workspace holds no refresh token.");
        }

        if (Satisfies(workspace, request))
        {
            return await FromStoreAsync(workspace, cancellationToken);
        }

        if (await CoolingDownOutcomeAsync(workspace, request, cancellationToken) is { } waiting)
        {
            return waiting;
        }

        return await leases.RunLeasedAsync(
                workspace.Key, _instance,
                () => RefreshLeasedAsync(workspace, request, cancellationToken),
                whileWaiting: async () =>
                {
                    // The holder may have refreshed already: its token answers this request too.
                    workspace = await ReadAgainAsync(workspace, cancellationToken);
                    return Satisfies(workspace, request) ? await FromStoreAsync(workspace, cancellationToken) : null;
                },
                cancellationToken)
            ?? new TokenOutcome(TokenStatus.Busy, Detail: "Another instance is refreshing this workspace's token; retry shortly.");
    }

    // Under the workspace's refresh lease.
    private async Task<TokenOutcome> RefreshLeasedAsync(Workspace workspace, RefreshRequest request, CancellationToken cancellationToken)
    {
        // Re-read under the lease: another instance may have refreshed meanwhile. The client is read
        // now too, never from a cache: a refresh presented with a stale secret would burn the refresh token.
        workspace = await ReadAgainAsync(workspace, cancellationToken);
        if (Satisfies(workspace, request))
        {
            return await FromStoreAsync(workspace, cancellationToken);
        }

        // The instance that held the lease may have just failed and set a back-off.
        if (await CoolingDownOutcomeAsync(workspace, request, cancellationToken) is { } backedOff)
        {
            return backedOff;
        }

        if (request.ImportInto is { } expected
            && (workspace.Key != expected.Key || workspace.Client != expected.Client || workspace.Environment != expected.Environment))
        {
            return new TokenOutcome(TokenStatus.Busy, Detail: "The workspace's client or environment changed meanwhile; the refresh token was not used. Read it and retry.");
        }

        var client = request.Proof?.Client ?? await clients.FindAsync(workspace.Client, cancellationToken);
        return await RefreshAsync(workspace, client, request, cancellationToken);
    }

    // The row as it stands now, if it is still the same workspace (not deleted and re-created meanwhile).
    private async Task<Workspace> ReadAgainAsync(Workspace workspace, CancellationToken cancellationToken) =>
        await workspaces.FindAsync(workspace.Ref, cancellationToken) is { } current && current.Key == workspace.Key ? current : workspace;

    /// <summary>Why a workspace on a public client gets no token for its company.</summary>
    public static string GrantRevokedDetail(Workspace workspace) =>
        $"The operator does not grant you company {workspace.CompanyId} on public OAuth client '{workspace.Client.Name}' (any more), "
        + "so this workspace gets no token: ask the operator for a grant, or move the workspace to a client of your own.";

    private static TokenOutcome? Refusal(Workspace workspace) => workspace.Status switch
    {
        WorkspaceStatus.Disabled => new TokenOutcome(TokenStatus.NotConnected, Detail: "The workspace is disabled."),
        WorkspaceStatus.NeedsReauthorization => new TokenOutcome(
            TokenStatus.NeedsReauthorization, Detail: workspace.LastError ?? "Procore refused the refresh token; connect the workspace again."),
        WorkspaceStatus.Pending when workspace.AuthFlow == AuthFlow.AuthorizationCode => new TokenOutcome(
            TokenStatus.NotConnected, Detail: "The workspace is not connected yet: open /api/workspaces/{id}/connect in a browser."),
        _ => null,
    };

    private async Task<TokenOutcome> SharedAsync(Workspace workspace, DateTimeOffset? notIssuedBefore, CancellationToken cancellationToken)
    {
        var client = await clients.FindAsync(workspace.Client, cancellationToken);
        if (client is not { Status: OAuthClientStatus.Active })
        {
            return new TokenOutcome(TokenStatus.InvalidClient, Detail: $"The workspace's OAuth client '{workspace.Client.Name}' no longer exists.");
        }

        var outcome = notIssuedBefore is { } since
            ? await clientTokens.FetchNowAsync(client, workspace.Environment, since, cancellationToken)
            : await clientTokens.GetAsync(client, workspace.Environment, cancellationToken);
        if (outcome.Token is not { } shared)
        {
            return new TokenOutcome(outcome.Status, Detail: outcome.Detail, RetryAt: outcome.RetryAt);
        }

        if (workspace.Status == WorkspaceStatus.Pending)
        {
            // The first token a client-credentials workspace gets connects it: one row write, once.
            var connected = await workspaces.ChangeAsync(workspace.Ref, w => w.Status == WorkspaceStatus.Pending
                ? w with { Status = WorkspaceStatus.Connected, LastError = null, UpdatedAt = time.GetUtcNow() }
                : null, cancellationToken, key: workspace.Key);
            if (connected is not null)
            {
                workspace = connected;
                await PublishAsync(workspace, Events.EventTypes.Connected, null);
            }
        }

        // A DMSA token reaches every company that installed the app; shared by several partners, it is shown to none.
        var withheld = await access.TokenReachesOthersAsync(workspace.Client, cancellationToken);
        var entry = new CachedToken(
            workspace.Key, shared.Reference, shared.AccessToken, shared.ExpiresAt, workspace.CompanyId, workspace.Environment, time.GetUtcNow(),
            new ClientTokenKey(workspace.Client, workspace.Environment), Withheld: withheld);
        cache.Set(workspace.Ref, entry);
        return new TokenOutcome(TokenStatus.Ok, entry);
    }

    // While backing off: the still-valid token if there is one, else a 503 saying when to come back.
    private async Task<TokenOutcome> CoolingDownAsync(Workspace workspace, DateTimeOffset retryAt, CancellationToken cancellationToken) =>
        workspace.Tokens is not null && workspace.AccessTokenExpiresAt > time.GetUtcNow()
            ? await FromStoreAsync(workspace, cancellationToken)
            : CoolingDown(workspace, retryAt);

    private static TokenOutcome CoolingDown(Workspace workspace, DateTimeOffset retryAt) => new(
        TokenStatus.RefreshCoolingDown,
        Detail: $"Refreshing this workspace's token failed {workspace.Health.Failures} time(s) in a row ({workspace.LastError}); the next try is not before {retryAt:u}.",
        RetryAt: retryAt);

    private async Task<TokenOutcome> FromStoreAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        var cached = cache.Get(workspace.Ref);
        var token = cached is not null && cached.Reference == workspace.Tokens
            ? cached.AccessToken
            : TokenSecret.Parse(await secrets.GetAsync(workspace.Tokens!, cancellationToken)).AccessToken;
        return new TokenOutcome(TokenStatus.Ok, Cache(workspace, token));
    }

    private CachedToken Cache(Workspace workspace, string accessToken)
    {
        var entry = new CachedToken(
            workspace.Key, workspace.Tokens!, accessToken, workspace.AccessTokenExpiresAt!.Value, workspace.CompanyId, workspace.Environment, time.GetUtcNow(),
            CoolingUntil: workspace.Health.RetryAt);
        cache.Set(workspace.Ref, entry);
        return entry;
    }

    private async Task<TokenOutcome> RefreshAsync(
        Workspace workspace, OAuthClient? client, RefreshRequest request, CancellationToken cancellationToken, DueIndexBatch? batch = null)
    {
        using var activity = ConnectTelemetry.Activities.StartActivity("refresh");
        activity?.SetTag("workspace.id", workspace.Id);
        activity?.SetTag("auth_flow", Common.WireName.Of(workspace.AuthFlow));
        var outcome = await RefreshCoreAsync(workspace, client, request, batch, cancellationToken);
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

    private async Task<TokenOutcome> RefreshCoreAsync(
        Workspace workspace, OAuthClient? client, RefreshRequest request, DueIndexBatch? batch, CancellationToken cancellationToken)
    {
        var clientSecretOverride = request.Proof?.Secret;
        if (client is not { Status: OAuthClientStatus.Active })
        {
            return new TokenOutcome(TokenStatus.InvalidClient, Detail: $"The workspace's OAuth client '{workspace.Client.Name}' no longer exists.");
        }

        if (clientSecretOverride is null && client.SecretRefusedIn(workspace.Environment))
        {
            // Presenting the refresh token with a secret Procore refuses would burn it.
            return new TokenOutcome(TokenStatus.InvalidClient, Detail: ClientTokenService.RefusedDetail(client, workspace.Environment));
        }

        var clientSecret = clientSecretOverride ?? await secretVersions.GetAsync(client.ClientSecret, cancellationToken);

        // The newest version, not necessarily the row's: a crash after the secret write and
        // before the row update leaves the live token one version ahead of the row.
        var refreshToken = request.ImportedRefreshToken
            ?? persister.UnpersistedRefreshToken(workspace.Key)
            ?? (await secrets.GetLatestAsync(SecretNames.Tokens(workspace.SecretPrefix), cancellationToken) is { } latest
                ? TokenSecret.Parse(latest.Value).RefreshToken
                : workspace.Tokens is { } reference ? TokenSecret.Parse(await secrets.GetAsync(reference, cancellationToken)).RefreshToken : null);
        if (refreshToken is null)
        {
            return await FailedAsync(workspace, TokenStatus.NeedsReauthorization, "No refresh token is held; connect the workspace again.",
                WorkspaceStatus.NeedsReauthorization, ConnectionHealth.NeedsReauthorization, transient: false);
        }

        // An import replaces the grant the workspace holds: its newest access token, read here under
        // the lease, is the one to revoke once the import is stored (and only then).
        var replaced = request.ImportedRefreshToken is not null && workspace.Tokens is not null ? await NewestAccessTokenAsync(workspace, cancellationToken) : null;

        // From here on the refresh token is spent, whatever Procore answers: Procore invalidates the
        // token presented on every refresh call, failed ones included. It is never sent twice by this call.
        var result = KeepingPresented(await oauth.RefreshAsync(workspace.Environment, client.ClientId, clientSecret, refreshToken, CancellationToken.None), refreshToken);

        if (result.Succeeded)
        {
            var (before, saved) = await persister.PersistReportingAsync(
                workspace, result.Tokens!, CancellationToken.None, batch, reconnected: request.ImportedRefreshToken is not null);
            logger.LogInformation("Token of workspace {WorkspaceId} refreshed, expires {ExpiresAt}", workspace.Id, saved.AccessTokenExpiresAt);
            if (request.ImportedRefreshToken is not null)
            {
                await PublishAsync(saved, Events.EventTypes.Connected, null);
            }

            await PublishChangeAsync(before, saved);
            return new TokenOutcome(TokenStatus.Ok, Cache(saved, result.Tokens!.AccessToken), ReplacedAccessToken: replaced);
        }

        if (request.ImportedRefreshToken is not null)
        {
            // The workspace's own tokens were not presented: nothing about it changed.
            logger.LogWarning("Workspace {WorkspaceId}: an imported refresh token failed: {Status} {Error}", workspace.Id, result.Status, result.Error);
            return ImportRefused(client, result);
        }

        cache.Remove(workspace.Ref);
        if (result.IsInvalidClient)
        {
            var reason = $"Procore refused the client credentials of OAuth client '{client.Ref.Name}' ({result.Error}): check its clientId, clientSecret and the environment.";
            logger.LogWarning("Refresh of workspace {WorkspaceId} refused: invalid client {Client}", workspace.Id, client.Ref);
            if (clientSecretOverride is null)
            {
                // Once the service confirms it, the client's other workspaces in this environment stop
                // presenting their refresh tokens until the secret changes.
                await refusals.ConfirmAsync(client, workspace.Environment, CancellationToken.None);
                return await FailedAsync(workspace, TokenStatus.InvalidClient, reason, workspace.Status, ConnectionHealth.InvalidClient, transient: false);
            }

            return new TokenOutcome(TokenStatus.InvalidClient, Detail: reason);
        }

        if (!result.IsTransient)
        {
            var reason = $"Procore refused the refresh token ({result.Error}): the connection was revoked or expired; connect the workspace again.";
            logger.LogWarning("Workspace {WorkspaceId} needs reauthorization: refresh refused ({Error})", workspace.Id, result.Error);
            return await FailedAsync(workspace, TokenStatus.NeedsReauthorization, reason, WorkspaceStatus.NeedsReauthorization, ConnectionHealth.NeedsReauthorization, transient: false);
        }

        logger.LogWarning("Refresh of workspace {WorkspaceId} failed: {Status} {Error}", workspace.Id, result.Status, result.Error);
        var failure = $"Procore's token endpoint failed ({result.Error}); retry later.";
        var (outcome, backingOff) = await RecordFailureAsync(workspace, TokenStatus.ProcoreUnavailable, failure, workspace.Status, ConnectionHealth.RefreshFailing, transient: true);
        if (request.NotIssuedBefore is null && workspace.Tokens is not null && workspace.AccessTokenExpiresAt > time.GetUtcNow())
        {
            // Procore is failing but the current access token still works: hand it out (unless a new one
            // was asked for), without trying
            // again before the back-off ends. That try presents the held refresh token once more; if this
            // call spent it, Procore says invalid_grant then, and the workspace is marked for reconnection.
            return await FromStoreAsync(backingOff ?? workspace, cancellationToken);
        }

        return outcome;
    }

    private static TokenOutcome ImportRefused(OAuthClient client, ProcoreTokenResult result) =>
        result.IsInvalidClient
            ? new TokenOutcome(TokenStatus.InvalidClient, Detail: $"Procore refused the client credentials of OAuth client '{client.Ref.Name}' ({result.Error}).")
            : result.IsTransient
                ? new TokenOutcome(TokenStatus.ProcoreUnavailable, Detail: $"Procore's token endpoint failed ({result.Error}); the refresh token may or may not be spent.")
                : new TokenOutcome(TokenStatus.NeedsReauthorization, Detail: $"Procore refused the refresh token ({result.Error}): it was used already, revoked, expired, or issued to another app.");

    // While backing off after a failed refresh nothing is presented, except a proof or an import
    // (each brings what may end the failure).
    private async Task<TokenOutcome?> CoolingDownOutcomeAsync(Workspace workspace, RefreshRequest request, CancellationToken cancellationToken) =>
        request.Always || workspace.Health.RetryAt is not { } retryAt || retryAt <= time.GetUtcNow() ? null
        : request.NotIssuedBefore is null ? await CoolingDownAsync(workspace, retryAt, cancellationToken)
        : CoolingDown(workspace, retryAt);

    /// <summary>
    /// The access token of the workspace's newest tokens version (a crash after a refresh's secret
    /// write leaves it ahead of the row), to revoke that grant. Best effort, as a revoke is: null
    /// (logged) when it cannot be read, and then the grant is left alone, never guessed.
    /// </summary>
    public async Task<string?> NewestAccessTokenAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        try
        {
            return await secrets.GetLatestAsync(SecretNames.Tokens(workspace.SecretPrefix), cancellationToken) is { } latest
                ? TokenSecret.Parse(latest.Value).AccessToken
                : null;
        }
#pragma warning disable CA1031 // A failed read must not stop the import or delete it serves.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            logger.LogWarning(ex, "Workspace {WorkspaceId}: could not read its newest tokens; that grant will not be revoked", workspace.Id);
            return null;
        }
    }

    // Procore always rotates; should an answer ever come without a refresh token, the one presented is all there is.
    private static ProcoreTokenResult KeepingPresented(ProcoreTokenResult result, string presented) =>
        result.Tokens is { RefreshToken: null } withoutRefreshToken ? result with { Tokens = withoutRefreshToken with { RefreshToken = presented } } : result;

    private sealed record SecretProof(OAuthClient Client, string Secret)
    {
        public override string ToString() => $"{nameof(SecretProof)} {{ client {Client.Ref} }}";
    }

    // What a caller needs: a token that is not due (the default); one issued since a moment (a forced
    // refresh); or a refresh that always happens, with a candidate secret or a refresh token from elsewhere.
    private sealed record RefreshRequest(SecretProof? Proof = null, string? ImportedRefreshToken = null, DateTimeOffset? NotIssuedBefore = null, Workspace? ImportInto = null)
    {
        public static readonly RefreshRequest WhenDue = new();

        public bool Always => Proof is not null || ImportedRefreshToken is not null;

        public override string ToString() => $"{nameof(RefreshRequest)} {{ proof {Proof is not null}, import {ImportedRefreshToken is not null}, since {NotIssuedBefore:u} }}";
    }
}

/// <summary>A reconnect's outcome: the workspace as saved (null: not saved), and the replaced grant's access token to revoke.</summary>
public sealed record Reconnection(Workspace? Saved, string? ReplacedAccessToken)
{
    /// <summary>Never the token.</summary>
    public override string ToString() => $"{nameof(Reconnection)} {{ saved {Saved is not null}, replaced {ReplacedAccessToken is not null} }}";
}
