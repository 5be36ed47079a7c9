using System.Security.Cryptography;
using System.Text;
using Azure;
using ProcoreConnect.Storage;

namespace ProcoreConnect.Secrets;

/// <summary>
/// FOR LOCAL USE ONLY: secrets encrypted with AES-256-GCM and kept in Table Storage, standing in
/// for Key Vault where none is configured. The name and version are bound into each ciphertext
/// as associated data, so a row copied under another name does not decrypt.
/// </summary>
public sealed class LocalEncryptedSecretStore : ISecretStore
{
    /// <summary>The table's name (before the configured prefix).</summary>
    public const string TableName = "LocalSecrets";

    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly TableStore _tables;

    // An AesGcm instance is not safe for concurrent use (OpenSSL fails the operation), so each
    // seal and open takes its own; setting one up costs far less than the table round trip.
    private readonly byte[] _key;

    // Ticks at start, then +1 per write: increasing within a process and across restarts.
    private long _sequence = DateTime.UtcNow.Ticks;

    /// <summary>Creates the store with a 32-byte key.</summary>
    public LocalEncryptedSecretStore(TableStore tables, byte[] key)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException("The local secret store key must be 32 bytes (AES-256).", nameof(key));
        }

        _tables = tables;
        _key = (byte[])key.Clone();
    }

    /// <inheritdoc />
    public string Kind => "local-encrypted-table (not for production)";

    /// <inheritdoc />
    public async Task<SecretReference> SetAsync(string name, string value, CancellationToken cancellationToken)
    {
        var reference = new SecretReference(name, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        var table = await _tables.GetAsync(TableName, cancellationToken);
        await table.AddEntityAsync(
            new LocalSecretEntity
            {
                PartitionKey = name,
                RowKey = reference.Version,
                Sealed = Seal(reference, value),
                Sequence = Interlocked.Increment(ref _sequence),
            },
            cancellationToken);
        return reference;
    }

    /// <inheritdoc />
    public async Task<string> GetAsync(SecretReference reference, CancellationToken cancellationToken)
    {
        var table = await _tables.GetAsync(TableName, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<LocalSecretEntity>(reference.Name, reference.Version, cancellationToken: cancellationToken);
        if (!row.HasValue || !row.Value!.Enabled)
        {
            throw new SecretNotFoundException(reference);
        }

        return Open(reference, row.Value.Sealed);
    }

    /// <inheritdoc />
    public async Task<(SecretReference Reference, string Value)?> GetLatestAsync(string name, CancellationToken cancellationToken)
    {
        var table = await _tables.GetAsync(TableName, cancellationToken);
        var filter = Azure.Data.Tables.TableClient.CreateQueryFilter($"PartitionKey eq {name} and Enabled eq true");
        LocalSecretEntity? latest = null;
        await foreach (var row in table.QueryAsync<LocalSecretEntity>(filter, cancellationToken: cancellationToken))
        {
            if (latest is null || row.Sequence > latest.Sequence)
            {
                latest = row;
            }
        }

        if (latest is null)
        {
            return null;
        }

        var reference = new SecretReference(name, latest.RowKey);
        return (reference, Open(reference, latest.Sealed));
    }

    /// <inheritdoc />
    public async Task DisableAsync(SecretReference reference, CancellationToken cancellationToken)
    {
        var table = await _tables.GetAsync(TableName, cancellationToken);
        try
        {
            // One merge of the flag, no read first.
            var flag = new Azure.Data.Tables.TableEntity(reference.Name, reference.Version) { ["Enabled"] = false };
            await table.UpdateEntityAsync(flag, ETag.All, Azure.Data.Tables.TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Gone already: unreadable, as asked.
        }
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        var table = await _tables.GetAsync(TableName, cancellationToken);
        var filter = Azure.Data.Tables.TableClient.CreateQueryFilter($"PartitionKey eq {name}");
        await foreach (var row in table.QueryAsync<LocalSecretEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var table = await _tables.GetAsync(TableName, cancellationToken);
        await table.GetEntityIfExistsAsync<LocalSecretEntity>("health-probe", "none", cancellationToken: cancellationToken);
    }

    private byte[] Seal(SecretReference reference, string value)
    {
        var plaintext = Encoding.UTF8.GetBytes(value);
        var output = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceSize, plaintext.Length), output.AsSpan(NonceSize + plaintext.Length), AssociatedData(reference));
        return output;
    }

    private string Open(SecretReference reference, byte[] sealedValue)
    {
        var cipherLength = sealedValue.Length - NonceSize - TagSize;
        var plaintext = new byte[cipherLength];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(
            sealedValue.AsSpan(0, NonceSize),
            sealedValue.AsSpan(NonceSize, cipherLength),
            sealedValue.AsSpan(NonceSize + cipherLength),
            plaintext,
            AssociatedData(reference));
        return Encoding.UTF8.GetString(plaintext);
    }

    private static byte[] AssociatedData(SecretReference reference) => Encoding.UTF8.GetBytes($"{reference.Name}/{reference.Version}");
}
