using Azure;
using Azure.Security.KeyVault.Secrets;

namespace ProcoreConnect.Secrets;

/// <summary>The production secret store: Azure Key Vault through <see cref="SecretClient"/>.</summary>
public sealed class KeyVaultSecretStore(SecretClient client) : ISecretStore
{
    // A name no workspace can produce (ids never start with "health"), so the probe never reads a real secret.
    private const string ProbeName = "procore-connect-health-probe";

    /// <inheritdoc />
    public string Kind => "key-vault";

    /// <inheritdoc />
    public async Task<SecretReference> SetAsync(string name, string value, CancellationToken cancellationToken)
    {
        Security.CostlyWork.Note();
        var secret = new KeyVaultSecret(name, value) { Properties = { ContentType = "text/plain" } };
        var stored = await client.SetSecretAsync(secret, cancellationToken);
        return new SecretReference(name, stored.Value.Properties.Version);
    }

    /// <inheritdoc />
    public async Task<string> GetAsync(SecretReference reference, CancellationToken cancellationToken)
    {
        try
        {
            var secret = await client.GetSecretAsync(reference.Name, reference.Version, cancellationToken);
            return secret.Value.Value;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 || IsDisabled(ex))
        {
            throw new SecretNotFoundException(reference, ex);
        }
    }

    /// <inheritdoc />
    public async Task<(SecretReference Reference, string Value)?> GetLatestAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var secret = (await client.GetSecretAsync(name, cancellationToken: cancellationToken)).Value;
            return (new SecretReference(name, secret.Properties.Version), secret.Value);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 || IsDisabled(ex))
        {
            return null;
        }
    }

    // Key Vault answers a read of a disabled version with 403 "Operation get is not allowed on a disabled secret".
    private static bool IsDisabled(RequestFailedException ex) =>
        ex.Status == 403 && ex.Message.Contains("disabled", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public async Task DisableAsync(SecretReference reference, CancellationToken cancellationToken)
    {
        Security.CostlyWork.Note();
        try
        {
            await client.UpdateSecretPropertiesAsync(WithVersion(reference), cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Already gone: the goal (unreadable) holds.
        }
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        Security.CostlyWork.Note();
        try
        {
            await client.StartDeleteSecretAsync(name, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Never written or already deleted.
        }
    }

    /// <inheritdoc />
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            await client.GetSecretAsync(ProbeName, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Reached, authenticated and authorized: only the probe secret is absent.
        }
    }

    // SecretProperties names a version only through its identifier URI.
    private SecretProperties WithVersion(SecretReference reference) =>
        new(new Uri(client.VaultUri, $"secrets/{reference.Name}/{reference.Version}")) { Enabled = false };
}
