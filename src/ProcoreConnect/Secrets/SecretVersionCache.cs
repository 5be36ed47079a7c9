using ProcoreConnect.Common;

namespace ProcoreConnect.Secrets;

/// <summary>
/// Reads secrets by version through memory: a version's value never changes, so it is fetched
/// from the store once per process. For values read on hot paths (client secrets, signing secrets).
/// Callers asking for one version at the same time share one read: a sweep starts dozens of
/// refreshes of one client's workspaces at once, and each would otherwise read its secret.
/// </summary>
public sealed class SecretVersionCache(ISecretStore secrets)
{
    private readonly SingleFlightCache<SecretReference, string> _values = new(r => secrets.GetAsync(r, CancellationToken.None));

    /// <summary>The value of one version.</summary>
    public Task<string> GetAsync(SecretReference reference, CancellationToken cancellationToken) => _values.GetAsync(reference, cancellationToken);
}
