using System.Collections.Concurrent;

namespace ProcoreConnect.Tokens;

/// <summary>Access tokens in memory, so a hot token call reads neither the secret store nor the table.</summary>
public sealed class TokenCache
{
    private readonly ConcurrentDictionary<string, CachedToken> _tokens = new();

    /// <summary>The cached token, if any.</summary>
    public CachedToken? Get(string workspaceId) => _tokens.TryGetValue(workspaceId, out var token) ? token : null;

    /// <summary>Caches a token.</summary>
    public void Set(string workspaceId, CachedToken token) => _tokens[workspaceId] = token;

    /// <summary>Forgets a workspace's token (its settings or tokens changed).</summary>
    public void Remove(string workspaceId) => _tokens.TryRemove(workspaceId, out _);
}
