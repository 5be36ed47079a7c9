using Microsoft.Extensions.Options;
using ProcoreConnect.Clients;
using ProcoreConnect.Procore;
using ProcoreConnect.Secrets;

namespace ProcoreConnect.Tokens;

/// <summary>
/// Stores a client's shared token Procore just issued: the token first, then its due time in the
/// index, then the row that points at both. A crash in between costs at most a token request:
/// there is no refresh token to lose.
/// </summary>
public sealed class ClientTokenPersister(
    ISecretStore secrets,
    RefreshDueIndex index,
    ClientTokenStore store,
    SharedTokenCache cache,
    TimeProvider time,
    IOptions<TokenOptions> options,
    ILogger<ClientTokenPersister> logger)
{
    /// <summary>
    /// Stores <paramref name="tokens"/> as the client's shared token in the key's environment and
    /// holds it in memory. The old index entry is removed, unless <paramref name="leaveOldEntry"/>
    /// (the sweep removes it with its batch).
    /// </summary>
    public async Task<SharedToken> PersistAsync(ClientTokenKey key, OAuthClient client, ProcoreTokenResponse tokens, StoredClientToken? previous, bool leaveOldEntry)
    {
        var reference = await secrets.SetAsync(SecretNames.ClientToken(client.SecretPrefix, key.Environment), tokens.AccessToken, CancellationToken.None);
        var now = time.GetUtcNow();
        var expiresAt = now.AddSeconds(tokens.ExpiresIn);
        var dueAt = expiresAt - options.Value.RefreshLeadTime;
        await index.ScheduleAsync(new DueClientToken(key, dueAt), CancellationToken.None);
        // Earlier tokens stay alive at Procore until they expire; the row remembers them so that a
        // revocation (the partners granted on a public client changed) reaches them too.
        var earlier = previous is not null && previous.Token.Name == reference.Name ? previous.StillAliveAt(now) : [];
        await store.SaveAsync(key, new StoredClientToken(client.SecretPrefix, client.ClientId, reference, now, expiresAt, dueAt) { Earlier = earlier }, CancellationToken.None);
        if (!leaveOldEntry && previous is not null && previous.RefreshDueAt != dueAt)
        {
            await RemoveQuietlyAsync(new DueClientToken(key, previous.RefreshDueAt));
        }

        var token = new SharedToken(reference, tokens.AccessToken, now, expiresAt, client.SecretPrefix, client.ClientId);
        cache.Set(key, token);
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
}
