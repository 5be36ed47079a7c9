using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ProcoreConnect.Clients;
using ProcoreConnect.Procore;
using ProcoreConnect.Secrets;
using ProcoreConnect.Telemetry;

namespace ProcoreConnect.Tokens;

/// <summary>
/// One access token per client-credentials client and environment, shared by every workspace on
/// that client (a DMSA's token reaches every company that installed the app; each request names
/// the company with <c>Procore-Company-Id</c>). Fetched single-flight like refresh tokens: a gate
/// per token in the process and a lease across instances; kept in the secret store and refreshed
/// ahead of expiry by the sweep through the due index.
/// </summary>
public sealed class ClientTokenService(
    ClientTokenStore store,
    ISecretStore secrets,
    SecretVersionCache secretVersions,
    ProcoreOAuthClient oauth,
    RefreshLeaseStore leases,
    RefreshDueIndex index,
    OAuthClientRepository clients,
    ClientHealthRecorder health,
    ConnectTelemetry telemetry,
    TimeProvider time,
    IOptions<TokenOptions> options,
    ILogger<ClientTokenService> logger)
{
    private const string Flow = "client_credentials";

    private readonly ConcurrentDictionary<string, SharedToken> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    private readonly string _instance = Guid.NewGuid().ToString("N");

    /// <summary>The token in memory, if it is not due yet.</summary>
    public SharedToken? Hot(ClientTokenKey key) =>
        _tokens.TryGetValue(key.Value, out var token) && !IsDue(token.ExpiresAt) ? token : null;

    /// <summary>A valid shared token of <paramref name="client"/> in <paramref name="environment"/>, fetched first when due.</summary>
    public async Task<SharedTokenOutcome> GetAsync(OAuthClient client, ProcoreEnvironment environment, CancellationToken cancellationToken)
    {
        var key = new ClientTokenKey(client.Ref, environment);
        if (Usable(key, client) is { } hot)
        {
            return SharedTokenOutcome.Ok(hot);
        }

        return await InGateAsync(key, async () => Usable(key, client) is { } cached
            ? SharedTokenOutcome.Ok(cached)
            : await LoadOrFetchAsync(key, client, null, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// How often a forced refresh may ask Procore for a client's shared token in one environment:
    /// the token is every workspace's on the client (of every partner, for a public client), so one
    /// caller's forced refreshes must not churn it for the others or spend the app's quota.
    /// </summary>
    public static readonly TimeSpan ForcedRefreshInterval = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A shared token issued no earlier than <paramref name="notIssuedBefore"/>, or within the last
    /// <see cref="ForcedRefreshInterval"/>: fetched now unless another caller did so since (callers
    /// arriving together share one request). The back-off after failed requests holds.
    /// </summary>
    public Task<SharedTokenOutcome> FetchNowAsync(OAuthClient client, ProcoreEnvironment environment, DateTimeOffset notIssuedBefore, CancellationToken cancellationToken)
    {
        var key = new ClientTokenKey(client.Ref, environment);
        var recentEnough = time.GetUtcNow() - ForcedRefreshInterval;
        var since = notIssuedBefore < recentEnough ? notIssuedBefore : recentEnough;
        return InGateAsync(key, () => LoadOrFetchAsync(key, client, since, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// The sweep's entry point: fetches a new token if the entry is still the stored one and due.
    /// Without a <paramref name="lease"/>, takes its own.
    /// </summary>
    public Task<RefreshResult> RefreshDueAsync(DueClientToken entry, RefreshLease? lease, ClientLookup lookup, CancellationToken cancellationToken) =>
        InGateAsync(entry.Token, async () =>
        {
            if (lease is not null)
            {
                return lease.ExpiresAt - time.GetUtcNow() < options.Value.LeaseDuration / 2
                    ? RefreshResult.Skipped
                    : await RefreshDueLeasedAsync(entry, lookup, cancellationToken);
            }

            var own = await leases.TryAcquireAsync(entry.Subject, _instance, cancellationToken);
            if (own is null)
            {
                return RefreshResult.Skipped;
            }

            try
            {
                return await RefreshDueLeasedAsync(entry, lookup, cancellationToken);
            }
            finally
            {
                await leases.ReleaseAsync(own, CancellationToken.None);
            }
        }, cancellationToken);

    /// <summary>Proves a candidate secret with a token request; nothing is stored.</summary>
    public async Task<ProcoreTokenResult> ProveAsync(OAuthClient client, string candidateSecret, ProcoreEnvironment environment, CancellationToken cancellationToken) =>
        await oauth.ClientCredentialsAsync(environment, client.ClientId, candidateSecret, cancellationToken);

    /// <summary>
    /// Revokes the client's shared tokens at Procore and stops handing them out, on every instance
    /// (each re-reads the client within a minute; see <see cref="OAuthClient.SharedTokensRevokedAt"/>):
    /// for a public client whose token someone may hold who must no longer (the partners granted it
    /// changed). The next caller gets a new token, shown only if one partner alone is granted.
    /// </summary>
    public async Task RevokeSharedAsync(OAuthClient client, CancellationToken cancellationToken)
    {
        await clients.ChangeAsync(client.Ref, c => c with { SharedTokensRevokedAt = time.GetUtcNow() }, cancellationToken);
        var secret = await secretVersions.GetAsync(client.ClientSecret, cancellationToken);
        foreach (var environment in Enum.GetValues<ProcoreEnvironment>())
        {
            var key = new ClientTokenKey(client.Ref, environment);
            if (await store.FindAsync(key, cancellationToken) is { } stored)
            {
                await oauth.RevokeAsync(environment, client.ClientId, secret, await secretVersions.GetAsync(stored.Token, cancellationToken), CancellationToken.None);
            }
        }

        await ForgetAsync(client.Ref, cancellationToken);
        logger.LogInformation("Shared tokens of OAuth client {Client} revoked: the partners granted it changed", client.Ref);
    }

    /// <summary>Forgets every shared token of a client (it is deleted, or its client id changed).</summary>
    public async Task ForgetAsync(OAuthClientRef client, CancellationToken cancellationToken)
    {
        foreach (var environment in Enum.GetValues<ProcoreEnvironment>())
        {
            var key = new ClientTokenKey(client, environment);
            _tokens.TryRemove(key.Value, out _);
            await store.DeleteAsync(key, cancellationToken);
        }
    }

    private SharedToken? Usable(ClientTokenKey key, OAuthClient client) =>
        Hot(key) is { } token && token.ClientGeneration == client.SecretPrefix && token.ClientId == client.ClientId && NotRevoked(token.IssuedAt, client) ? token : null;

    // Tokens issued before the client's shared tokens were revoked (it became shared by several partners) are not handed out.
    private static bool NotRevoked(DateTimeOffset issuedAt, OAuthClient client) => client.SharedTokensRevokedAt is not { } revokedAt || issuedAt >= revokedAt;

    private bool IsDue(DateTimeOffset expiresAt) => expiresAt - options.Value.RefreshLeadTime <= time.GetUtcNow();

    private static bool Belongs(StoredClientToken stored, OAuthClient client) =>
        stored.ClientGeneration == client.SecretPrefix && stored.ClientId == client.ClientId && NotRevoked(stored.IssuedAt, client);

    // Whether the stored token answers: not due, or (forced) issued since the request came.
    private bool Satisfies(StoredClientToken? stored, OAuthClient client, DateTimeOffset? notIssuedBefore) =>
        stored is not null && Belongs(stored, client) && (notIssuedBefore is { } since ? stored.IssuedAt >= since : !IsDue(stored.ExpiresAt));

    private async Task<SharedTokenOutcome> LoadOrFetchAsync(ClientTokenKey key, OAuthClient client, DateTimeOffset? notIssuedBefore, CancellationToken cancellationToken)
    {
        var stored = await store.FindAsync(key, cancellationToken);
        if (Satisfies(stored, client, notIssuedBefore))
        {
            return SharedTokenOutcome.Ok(await LoadAsync(key, stored!, cancellationToken));
        }

        return await leases.RunLeasedAsync(key.Value, _instance, () => FetchLeasedAsync(key, client, notIssuedBefore, cancellationToken), whileWaiting: null, cancellationToken)
            ?? new SharedTokenOutcome(TokenStatus.Busy, null, "Another instance is fetching this client's token; retry shortly.");
    }

    // Under the shared token's lease.
    private async Task<SharedTokenOutcome> FetchLeasedAsync(ClientTokenKey key, OAuthClient client, DateTimeOffset? notIssuedBefore, CancellationToken cancellationToken)
    {
        // Another instance may have fetched one meanwhile, or failed and left a back-off or a
        // refused secret on the client: both are read again under the lease.
        var stored = await store.FindAsync(key, cancellationToken);
        if (Satisfies(stored, client, notIssuedBefore))
        {
            return SharedTokenOutcome.Ok(await LoadAsync(key, stored!, cancellationToken));
        }

        var current = await clients.FindAsync(client.Ref, cancellationToken);
        return current is { Status: OAuthClientStatus.Active } && current.ClientId == client.ClientId && current.SecretPrefix == client.SecretPrefix
            ? await FetchAsync(key, current, stored, cancellationToken, forced: notIssuedBefore is not null)
            : new SharedTokenOutcome(TokenStatus.InvalidClient, null, $"OAuth client '{client.Ref.Name}' changed or was deleted meanwhile; retry.");
    }

    private async Task<RefreshResult> RefreshDueLeasedAsync(DueClientToken entry, ClientLookup lookup, CancellationToken cancellationToken)
    {
        var client = await lookup.FindAsync(entry.Token.Client);
        var stored = await store.FindAsync(entry.Token, cancellationToken);
        if (client is not { Status: OAuthClientStatus.Active, AuthFlow: AuthFlow.ClientCredentials } || stored is null || stored.RefreshDueAt != entry.DueAt)
        {
            return RefreshResult.Stale;
        }

        if (!IsDue(stored.ExpiresAt) || client.TokenHealthIn(entry.Token.Environment).CoolingDown(time.GetUtcNow()))
        {
            return RefreshResult.Skipped;
        }

        var outcome = await FetchAsync(entry.Token, client, stored, cancellationToken, leaveOldEntry: true);
        return outcome.Status switch
        {
            // The old token handed back while Procore fails is no refresh: the entry stays for the next sweep.
            TokenStatus.Ok when outcome.Token!.Reference != stored.Token => RefreshResult.Refreshed,
            TokenStatus.Ok => RefreshResult.Failed,
            TokenStatus.InvalidClient => RefreshResult.Stale,
            _ => RefreshResult.Failed,
        };
    }

    private async Task<SharedToken> LoadAsync(ClientTokenKey key, StoredClientToken stored, CancellationToken cancellationToken)
    {
        var cached = _tokens.TryGetValue(key.Value, out var held) && held.Reference == stored.Token ? held : null;
        var token = cached ?? new SharedToken(
            stored.Token, await secretVersions.GetAsync(stored.Token, cancellationToken), stored.IssuedAt, stored.ExpiresAt, stored.ClientGeneration, stored.ClientId);
        _tokens[key.Value] = token;
        return token;
    }

    private async Task<SharedTokenOutcome> FetchAsync(
        ClientTokenKey key, OAuthClient client, StoredClientToken? previous, CancellationToken cancellationToken, bool leaveOldEntry = false, bool forced = false)
    {
        var now = time.GetUtcNow();
        var current = client.TokenHealthIn(key.Environment);
        if (client.SecretRefusedIn(key.Environment))
        {
            return new SharedTokenOutcome(TokenStatus.InvalidClient, null, RefusedDetail(client, key.Environment));
        }

        if (current.RetryAt is { } retryAt && retryAt > now)
        {
            // Backing off after failed requests: the still-valid token (unless a new one was asked for), or when to come back.
            return !forced && previous is not null && Belongs(previous, client) && previous.ExpiresAt > now
                ? SharedTokenOutcome.Ok(await LoadAsync(key, previous, cancellationToken))
                : new SharedTokenOutcome(TokenStatus.RefreshCoolingDown, null,
                    $"Token requests of OAuth client '{client.Ref.Name}' in {Common.WireName.Of(key.Environment)} failed {current.Failures} time(s) in a row; the next try is not before {retryAt:u}.")
                  { RetryAt = retryAt };
        }

        var secret = await secretVersions.GetAsync(client.ClientSecret, cancellationToken);
        var result = await oauth.ClientCredentialsAsync(key.Environment, client.ClientId, secret, cancellationToken);
        telemetry.Refreshed(Flow, result.Succeeded ? "succeeded" : result.IsInvalidClient ? "invalid_client" : "failed", previous is null ? null : time.GetUtcNow() - previous.IssuedAt);
        if (result.Succeeded)
        {
            var token = await PersistAsync(key, client, result.Tokens!, previous, leaveOldEntry);
            logger.LogInformation("Shared token of OAuth client {Client} in {Environment} fetched, expires {ExpiresAt}", client.Ref, key.Environment, token.ExpiresAt);
            if (current != Clients.ConnectionHealth.Ok)
            {
                await health.RecordAsync(client, key.Environment, (_, h) => h.Refreshed());
            }

            return SharedTokenOutcome.Ok(token);
        }

        _tokens.TryRemove(key.Value, out _);
        if (result.IsInvalidClient || result.IsInvalidGrant)
        {
            // This request is the service's own, so the refusal needs no confirming (see ClientRefusals).
            // Refused in this environment only: the same credentials may work in another (an app
            // missing from a sandbox copy), and a client-credentials client has no refresh token to burn.
            await health.RefusedAsync(client, key.Environment, client.ClientSecret.Version, now);
            logger.LogWarning("Procore refused the credentials of OAuth client {Client} in {Environment}: {Error}", client.Ref, key.Environment, result.Error);
            return new SharedTokenOutcome(TokenStatus.InvalidClient, null,
                $"Procore refused the client credentials of OAuth client '{client.Ref.Name}' ({result.Error}): check its clientId and clientSecret, and that the app is a DMSA app for this environment.");
        }

        logger.LogWarning("Token request of OAuth client {Client} in {Environment} failed: {Status} {Error}", client.Ref, key.Environment, result.Status, result.Error);
        var backedOff = await health.RecordAsync(client, key.Environment, (_, h) => h.RefreshFailed(Clients.ConnectionHealth.RefreshFailing, transient: true, now));
        if (!forced && previous is not null && Belongs(previous, client) && previous.ExpiresAt > now)
        {
            // Procore is failing but the current token still works: hand it out, and try again after the back-off.
            return SharedTokenOutcome.Ok(await LoadAsync(key, previous, cancellationToken));
        }

        return new SharedTokenOutcome(TokenStatus.ProcoreUnavailable, null, $"Procore's token endpoint failed ({result.Error}); retry later.")
        {
            RetryAt = backedOff?.RetryAt,
        };
    }

    // The token first, then its due time in the index, then the row that points at both. A crash in
    // between costs at most a token request: there is no refresh token to lose.
    private async Task<SharedToken> PersistAsync(ClientTokenKey key, OAuthClient client, ProcoreTokenResponse tokens, StoredClientToken? previous, bool leaveOldEntry)
    {
        var reference = await secrets.SetAsync(SecretNames.ClientToken(client.SecretPrefix, key.Environment), tokens.AccessToken, CancellationToken.None);
        var now = time.GetUtcNow();
        var expiresAt = now.AddSeconds(tokens.ExpiresIn);
        var dueAt = expiresAt - options.Value.RefreshLeadTime;
        await index.ScheduleAsync(new DueClientToken(key, dueAt), CancellationToken.None);
        await store.SaveAsync(key, new StoredClientToken(client.SecretPrefix, client.ClientId, reference, now, expiresAt, dueAt), CancellationToken.None);
        if (!leaveOldEntry && previous is not null && previous.RefreshDueAt != dueAt)
        {
            await RemoveQuietlyAsync(new DueClientToken(key, previous.RefreshDueAt));
        }

        var token = new SharedToken(reference, tokens.AccessToken, now, expiresAt, client.SecretPrefix, client.ClientId);
        _tokens[key.Value] = token;
        return token;
    }

    private async Task RemoveQuietlyAsync(DueRefresh entry)
    {
        try
        {
            await index.RemoveAsync(entry, CancellationToken.None);
        }
#pragma warning disable CA1031 // A stale index entry is skipped by the sweep; never worth failing a fetch.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogWarning(ex, "Could not remove an old refresh index entry of {Subject}", entry.Subject);
        }
    }

    private async Task<T> InGateAsync<T>(ClientTokenKey key, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(key.Value, _ => new SemaphoreSlim(1, 1));
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

    /// <summary>Why nothing is asked of Procore in an environment while a client's secret stands refused there.</summary>
    public static string RefusedDetail(OAuthClient client, ProcoreEnvironment environment) =>
        $"Procore refused the current secret of OAuth client '{client.Ref.Name}' in {Common.WireName.Of(environment)}. "
        + "Nothing is sent to Procore there with it until it is replaced (if the app has other credentials in that environment, use another OAuth client for it): "
        + $"PUT /api/oauth-clients/{client.Ref.Name}/secret (proven first) or PUT /api/oauth-clients/{client.Ref.Name} with a clientSecret.";
}

/// <summary>A shared token in memory, with the creation of the client and the client id it was issued to.</summary>
public sealed record SharedToken(SecretReference Reference, string AccessToken, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, string ClientGeneration, string ClientId)
{
    /// <summary>Never the token.</summary>
    public override string ToString() => $"{nameof(SharedToken)} {{ {Reference.Name}, expires {ExpiresAt:u} }}";
}

/// <summary>How a request for a shared token ended; <see cref="RetryAt"/> says when to try again while backing off.</summary>
public sealed record SharedTokenOutcome(TokenStatus Status, SharedToken? Token, string? Detail)
{
    /// <summary>When the next try may be, while backing off after failures.</summary>
    public DateTimeOffset? RetryAt { get; init; }

    /// <summary>A token.</summary>
    public static SharedTokenOutcome Ok(SharedToken token) => new(TokenStatus.Ok, token, null);
}
