using System.Collections.Concurrent;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tokens;

/// <summary>Access tokens in memory, so a hot token call reads neither the secret store nor the table.</summary>
public sealed class TokenCache
{
    private readonly ConcurrentDictionary<WorkspaceRef, CachedToken> _tokens = new();

    /// <summary>The cached token, if any.</summary>
    public CachedToken? Get(WorkspaceRef workspace) => _tokens.TryGetValue(workspace, out var token) ? token : null;

    /// <summary>Caches a token.</summary>
    public void Set(WorkspaceRef workspace, CachedToken token) => _tokens[workspace] = token;

    /// <summary>Forgets a workspace's token (its settings or tokens changed).</summary>
    public void Remove(WorkspaceRef workspace) => _tokens.TryRemove(workspace, out _);
}
