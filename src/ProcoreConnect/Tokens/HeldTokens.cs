using Microsoft.Extensions.Options;
using ProcoreConnect.Secrets;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tokens;

/// <summary>
/// The tokens an authorization-code workspace holds, read from memory or the secret store: the
/// access token the row points at (cached for the hot path), and the newest version's refresh and
/// access tokens, which a crash after a refresh's secret write leaves ahead of the row.
/// </summary>
public sealed class HeldTokens(
    ISecretStore secrets,
    TokenPersister persister,
    TokenCache cache,
    TimeProvider time,
    IOptions<TokenOptions> options,
    ILogger<HeldTokens> logger)
{
    /// <summary>
    /// The held token when it answers without a refresh: it is not due (or, with
    /// <paramref name="issuedSince"/>, was issued since then). Null when a refresh is needed.
    /// </summary>
    public async Task<TokenOutcome?> SatisfyingAsync(Workspace workspace, DateTimeOffset? issuedSince, CancellationToken cancellationToken) =>
        workspace.Tokens is not null
        && (issuedSince is { } since ? workspace.AccessTokenIssuedAt >= since : !options.Value.IsDue(workspace.AccessTokenExpiresAt, time.GetUtcNow()))
            ? await FromStoreAsync(workspace, cancellationToken)
            : null;

    /// <summary>
    /// What to answer without presenting anything: the held token if it answers (see
    /// <see cref="SatisfyingAsync"/>), or, while backing off after failed refreshes, the held token
    /// if it is still valid (unless a new one was asked for) or a 503 saying when to come back.
    /// Null when a refresh is to be tried.
    /// </summary>
    public async Task<TokenOutcome?> WithoutRefreshAsync(Workspace workspace, DateTimeOffset? issuedSince, CancellationToken cancellationToken)
    {
        if (await SatisfyingAsync(workspace, issuedSince, cancellationToken) is { } held)
        {
            return held;
        }

        if (workspace.Health.RetryAt is not { } retryAt || retryAt <= time.GetUtcNow())
        {
            return null;
        }

        return issuedSince is null && StillValid(workspace)
            ? await FromStoreAsync(workspace, cancellationToken)
            : CoolingDown(workspace, retryAt);
    }

    /// <summary>Whether the row's access token has not expired yet.</summary>
    public bool StillValid(Workspace workspace) => workspace.Tokens is not null && workspace.AccessTokenExpiresAt > time.GetUtcNow();

    /// <summary>The row's access token (from memory when it is the cached one), cached and answered.</summary>
    public async Task<TokenOutcome> FromStoreAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        var cached = cache.Get(workspace.Ref);
        var token = cached is not null && cached.Reference == workspace.Tokens
            ? cached.AccessToken
            : TokenSecret.Parse(await secrets.GetAsync(workspace.Tokens!, cancellationToken)).AccessToken;
        return new TokenOutcome(TokenStatus.Ok, Cache(workspace, token));
    }

    /// <summary>Holds <paramref name="accessToken"/>, the row's, in memory for the hot path.</summary>
    public CachedToken Cache(Workspace workspace, string accessToken)
    {
        var entry = new CachedToken
        {
            WorkspaceKey = workspace.Key,
            Reference = workspace.Tokens!,
            AccessToken = accessToken,
            ExpiresAt = workspace.AccessTokenExpiresAt!.Value,
            CompanyId = workspace.CompanyId,
            Environment = workspace.Environment,
            CheckedAt = time.GetUtcNow(),
            CoolingUntil = workspace.Health.RetryAt,
        };
        cache.Set(workspace.Ref, entry);
        return entry;
    }

    /// <summary>Forgets the workspace's token in memory.</summary>
    public void Forget(WorkspaceRef workspace) => cache.Remove(workspace);

    /// <summary>
    /// The refresh token to present: one Procore issued that is not stored yet, else the newest
    /// version's (not necessarily the row's: a crash after the secret write and before the row
    /// update leaves the live token one version ahead of the row), else the row's; null when none is held.
    /// </summary>
    public async Task<string?> NewestRefreshTokenAsync(Workspace workspace, CancellationToken cancellationToken) =>
        persister.UnpersistedRefreshToken(workspace.Key)
        ?? (await secrets.GetLatestAsync(SecretNames.Tokens(workspace.SecretPrefix), cancellationToken) is { } latest
            ? TokenSecret.Parse(latest.Value).RefreshToken
            : workspace.Tokens is { } reference ? TokenSecret.Parse(await secrets.GetAsync(reference, cancellationToken)).RefreshToken : null);

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

    private static TokenOutcome CoolingDown(Workspace workspace, DateTimeOffset retryAt) => new(
        TokenStatus.RefreshCoolingDown,
        Detail: $"Refreshing this workspace's token failed {workspace.Health.Failures} time(s) in a row ({workspace.LastError}); the next try is not before {retryAt:u}.",
        RetryAt: retryAt);
}
