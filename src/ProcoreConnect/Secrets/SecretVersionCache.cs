using System.Collections.Concurrent;

namespace ProcoreConnect.Secrets;

/// <summary>
/// Reads secrets by version through memory: a version's value never changes, so it is fetched
/// from the store once per process. For values read on hot paths (client secrets, signing secrets).
/// </summary>
public sealed class SecretVersionCache(ISecretStore secrets)
{
    private readonly ConcurrentDictionary<SecretReference, string> _values = new();

    /// <summary>The value of one version.</summary>
    public async Task<string> GetAsync(SecretReference reference, CancellationToken cancellationToken)
    {
        if (_values.TryGetValue(reference, out var cached))
        {
            return cached;
        }

        var value = await secrets.GetAsync(reference, cancellationToken);
        _values[reference] = value;
        return value;
    }
}
