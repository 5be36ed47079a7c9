using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Options;
using ProcoreConnect.Secrets;
using ProcoreConnect.Storage;

namespace ProcoreConnect.Extensions;

/// <summary>Chooses and wires the secret store.</summary>
public static class SecretStoreExtensions
{
    /// <summary>
    /// Key Vault when <c>SecretStore:VaultUri</c> is set; otherwise the local encrypted table,
    /// which needs <c>SecretStore:LocalKey</c> (only Development configuration supplies one).
    /// </summary>
    public static IServiceCollection AddSecretStore(this IServiceCollection services)
    {
        services.AddOptions<SecretStoreOptions>()
            .BindConfiguration(SecretStoreOptions.Section)
            .Validate(o => o.VaultUri is not null || IsKey(o.LocalKey),
                "Configure SecretStore:VaultUri (Key Vault) or, for local use only, SecretStore:LocalKey (base64 of 32 bytes).")
            .ValidateOnStart();

        services.AddSingleton(sp => new SecretClient(
            sp.GetRequiredService<IOptions<SecretStoreOptions>>().Value.VaultUri
                ?? throw new InvalidOperationException("SecretStore:VaultUri is not configured."),
            new DefaultAzureCredential()));

        services.AddSingleton<ISecretStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SecretStoreOptions>>().Value;
            if (options.VaultUri is not null)
            {
                return new KeyVaultSecretStore(sp.GetRequiredService<SecretClient>());
            }

            sp.GetRequiredService<ILogger<LocalEncryptedSecretStore>>().LogWarning(
                "No Key Vault configured: secrets are kept in the LOCAL encrypted table store, which is for local development only");
            return new LocalEncryptedSecretStore(sp.GetRequiredService<TableStore>(), Convert.FromBase64String(options.LocalKey!));
        });
        return services;
    }

    private static bool IsKey(string? base64)
    {
        var buffer = new byte[32];
        return base64 is not null && Convert.TryFromBase64String(base64, buffer, out var written) && written == 32;
    }
}
