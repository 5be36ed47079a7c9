using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ProcoreConnect.Secrets;

namespace ProcoreConnect.Tokens;

/// <summary>Client-credentials clients' shared tokens in memory, so a hot call reads neither the secret store nor the table.</summary>
public sealed class SharedTokenCache(SecretVersionCache secretVersions, TimeProvider time, IOptions<TokenOptions> options)
{
    private readonly ConcurrentDictionary<string, SharedToken> _tokens = new(StringComparer.Ordinal);

    /// <summary>The token in memory, if it is not due yet.</summary>
    public SharedToken? Hot(ClientTokenKey key) =>
        _tokens.TryGetValue(key.Value, out var token) && !options.Value.IsDue(token.ExpiresAt, time.GetUtcNow()) ? token : null;

    /// <summary>The stored token (from memory when it is the one held there), held in memory from now on.</summary>
    public async Task<SharedToken> LoadAsync(ClientTokenKey key, StoredClientToken stored, CancellationToken cancellationToken)
    {
        var cached = _tokens.TryGetValue(key.Value, out var held) && held.Reference == stored.Token ? held : null;
        var token = cached ?? new SharedToken(
            stored.Token, await secretVersions.GetAsync(stored.Token, cancellationToken), stored.IssuedAt, stored.ExpiresAt, stored.ClientGeneration, stored.ClientId);
        _tokens[key.Value] = token;
        return token;
    }

    /// <summary>Holds a token just fetched.</summary>
    public void Set(ClientTokenKey key, SharedToken token) => _tokens[key.Value] = token;

    /// <summary>Forgets the token in memory.</summary>
    public void Remove(ClientTokenKey key) => _tokens.TryRemove(key.Value, out _);
}
