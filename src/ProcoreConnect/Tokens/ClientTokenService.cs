using Microsoft.Extensions.Options;
using ProcoreConnect.Clients;
using ProcoreConnect.Procore;

namespace ProcoreConnect.Tokens;

/// <summary>
/// One access token per client-credentials client and environment, shared by every workspace on
/// that client (a DMSA's token reaches every company that installed the app; each request names
/// the company with <c>Procore-Company-Id</c>). Fetched single-flight like refresh tokens: a gate
/// per token in the process and a lease across instances; kept in the secret store and refreshed
/// ahead of expiry by the sweep through the due index.
/// </summary>
public sealed class ClientTokenService(
    SharedTokenCache cache,
    ClientTokenStore store,
    RefreshGate gate,
    ClientTokenFetcher fetcher,
    OAuthClientRepository clients,
    TimeProvider time,
    IOptions<TokenOptions> options)
{
    /// <summary>
    /// How often a forced refresh may ask Procore for a client's shared token in one environment:
    /// the token is every workspace's on the client (of every partner, for a public client), so one
    /// caller's forced refreshes must not churn it for the others or spend the app's quota.
    /// </summary>
    public static readonly TimeSpan ForcedRefreshInterval = TimeSpan.FromMinutes(1);

    /// <summary>The token in memory, if it is not due yet.</summary>
    public SharedToken? Hot(ClientTokenKey key) => cache.Hot(key);

    /// <summary>A valid shared token of <paramref name="client"/> in <paramref name="environment"/>, fetched first when due.</summary>
    public async Task<SharedTokenOutcome> GetAsync(OAuthClient client, ProcoreEnvironment environment, CancellationToken cancellationToken)
    {
        var key = new ClientTokenKey(client.Ref, environment);
        if (Usable(key, client) is { } hot)
        {
            return SharedTokenOutcome.Ok(hot);
        }

        return await gate.InGateAsync(key, async () => Usable(key, client) is { } cached
            ? SharedTokenOutcome.Ok(cached)
            : await LoadOrFetchAsync(key, client, null, cancellationToken), cancellationToken);
    }

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
        return gate.InGateAsync(key, () => LoadOrFetchAsync(key, client, since, cancellationToken), cancellationToken);
    }

    /// <summary>Forgets every shared token of a client (it is deleted, or its client id changed).</summary>
    public async Task ForgetAsync(OAuthClientRef client, CancellationToken cancellationToken)
    {
        foreach (var environment in Enum.GetValues<ProcoreEnvironment>())
        {
            var key = new ClientTokenKey(client, environment);
            cache.Remove(key);
            await store.DeleteAsync(key, cancellationToken);
        }
    }

    /// <summary>Why nothing is asked of Procore in an environment while a client's secret stands refused there.</summary>
    public static string RefusedDetail(OAuthClient client, ProcoreEnvironment environment) =>
        $"Procore refused the current secret of OAuth client '{client.Ref.Name}' in {Common.WireName.Of(environment)}. "
        + "Nothing is sent to Procore there with it until it is replaced (if the app has other credentials in that environment, use another OAuth client for it): "
        + $"PUT /api/oauth-clients/{client.Ref.Name}/secret (proven first) or PUT /api/oauth-clients/{client.Ref.Name} with a clientSecret.";

    private SharedToken? Usable(ClientTokenKey key, OAuthClient client) => Hot(key) is { } token && token.Belongs(client) ? token : null;

    // Whether the stored token answers: not due, or (forced) issued since the request came.
    private bool Satisfies(StoredClientToken? stored, OAuthClient client, DateTimeOffset? notIssuedBefore) =>
        stored is not null && stored.Belongs(client)
        && (notIssuedBefore is { } since ? stored.IssuedAt >= since : !options.Value.IsDue(stored.ExpiresAt, time.GetUtcNow()));

    private async Task<SharedTokenOutcome> LoadOrFetchAsync(ClientTokenKey key, OAuthClient client, DateTimeOffset? notIssuedBefore, CancellationToken cancellationToken)
    {
        var stored = await store.FindAsync(key, cancellationToken);
        if (Satisfies(stored, client, notIssuedBefore))
        {
            return SharedTokenOutcome.Ok(await cache.LoadAsync(key, stored!, cancellationToken));
        }

        return await gate.LeasedAsync(key, () => FetchLeasedAsync(key, client, notIssuedBefore, cancellationToken), cancellationToken)
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
            return SharedTokenOutcome.Ok(await cache.LoadAsync(key, stored!, cancellationToken));
        }

        var current = await clients.FindAsync(client.Ref, cancellationToken);
        return current is { Status: OAuthClientStatus.Active } && current.ClientId == client.ClientId && current.SecretPrefix == client.SecretPrefix
            ? await fetcher.FetchAsync(key, current, stored, cancellationToken, forced: notIssuedBefore is not null)
            : new SharedTokenOutcome(TokenStatus.InvalidClient, null, $"OAuth client '{client.Ref.Name}' changed or was deleted meanwhile; retry.");
    }
}
