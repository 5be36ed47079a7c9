using System.Collections.Concurrent;

namespace ProcoreConnect.Clients;

/// <summary>
/// Reads each OAuth client at most once in its lifetime: a sweep refreshes thousands of workspaces
/// that share a few clients, and one read per client per batch is enough. Short-lived by design,
/// so a secret rotated through another instance is seen by the next batch.
/// </summary>
public sealed class ClientLookup(OAuthClientRepository clients)
{
    private readonly ConcurrentDictionary<OAuthClientRef, Lazy<Task<OAuthClient?>>> _seen = new();

    /// <summary>The client (as first read through this lookup), or null.</summary>
    public Task<OAuthClient?> FindAsync(OAuthClientRef client) =>
        _seen.GetOrAdd(client, c => new Lazy<Task<OAuthClient?>>(() => clients.FindAsync(c, CancellationToken.None))).Value;
}
