using System.Collections.Concurrent;

namespace ProcoreConnect.Secrets;

/// <summary>
/// Reads secrets by version through memory: a version's value never changes, so it is fetched
/// from the store once per process. For values read on hot paths (client secrets, signing secrets).
/// Callers asking for one version at the same time share one read: a sweep starts dozens of
/// refreshes of one client's workspaces at once, and each would otherwise read its secret.
/// </summary>
public sealed class SecretVersionCache(ISecretStore secrets)
{
    private readonly ConcurrentDictionary<SecretReference, Lazy<Task<string>>> _values = new();

    /// <summary>The value of one version.</summary>
    public async Task<string> GetAsync(SecretReference reference, CancellationToken cancellationToken)
    {
        var lazy = _values.GetOrAdd(reference, r => new Lazy<Task<string>>(() => ReadAsync(r)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            // A failed read is not remembered: the store may answer the next caller.
            _values.TryRemove(new KeyValuePair<SecretReference, Lazy<Task<string>>>(reference, lazy));
            throw;
        }
    }

    // Async, so a store that throws before its first await still yields a faulted task, never a
    // Lazy that caches the exception for good.
    private async Task<string> ReadAsync(SecretReference reference) => await secrets.GetAsync(reference, CancellationToken.None);
}
