namespace ProcoreConnect.Secrets;

/// <summary>Which secret store to use and how to reach it.</summary>
public sealed class SecretStoreOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "SecretStore";

    /// <summary>The Key Vault URI. When set, secrets go to Key Vault; otherwise to the local encrypted table.</summary>
    public Uri? VaultUri { get; set; }

    /// <summary>
    /// Base64 of the 32-byte AES-256 key of the local encrypted store. Only the Development
    /// configuration carries a default; anywhere else the app refuses to start without one.
    /// </summary>
    public string? LocalKey { get; set; }
}
