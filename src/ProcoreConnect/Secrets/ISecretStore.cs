namespace ProcoreConnect.Secrets;

/// <summary>
/// Where every secret lives: client secrets, refresh tokens, access tokens. Tables keep only the
/// <see cref="SecretReference"/> a write returns.
/// </summary>
public interface ISecretStore
{
    /// <summary>A short name of the implementation, for health output.</summary>
    string Kind { get; }

    /// <summary>Stores a new version of <paramref name="name"/> and returns its reference.</summary>
    Task<SecretReference> SetAsync(string name, string value, CancellationToken cancellationToken);

    /// <summary>Reads one version; throws <see cref="SecretNotFoundException"/> when it is missing or disabled.</summary>
    Task<string> GetAsync(SecretReference reference, CancellationToken cancellationToken);

    /// <summary>
    /// The newest enabled version of <paramref name="name"/>, or null. Recovery uses it: a refresh
    /// token written just before a crash is newer than the one the row references.
    /// </summary>
    Task<(SecretReference Reference, string Value)?> GetLatestAsync(string name, CancellationToken cancellationToken);

    /// <summary>Makes one version unreadable (Key Vault keeps it, disabled). Idempotent.</summary>
    Task DisableAsync(SecretReference reference, CancellationToken cancellationToken);

    /// <summary>Deletes every version of <paramref name="name"/>. Idempotent.</summary>
    Task DeleteAsync(string name, CancellationToken cancellationToken);

    /// <summary>Throws when the store cannot be reached or refuses this app.</summary>
    Task CheckAsync(CancellationToken cancellationToken);
}
