using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using ProcoreConnect.Storage;

namespace ProcoreConnect.Secrets;

/// <summary>
/// FOR LOCAL USE ONLY: secrets encrypted with AES-256-GCM and kept in Table Storage, standing in
/// for Key Vault where none is configured. The name and version are bound into each ciphertext
/// as associated data, so a row copied under another name does not decrypt.
/// <para>
/// Every write also replaces a "latest" row in the same partition, in one entity group
/// transaction, so "latest" is a point read that can never lag the newest version (Table
/// Storage serves a partition query cheaply, but Azurite scans the whole table for any filter).
/// Like Key Vault, "latest" is the newest version, and reads as absent once it is disabled.
/// </para>
/// </summary>
public sealed class LocalEncryptedSecretStore : ISecretStore
{
    /// <summary>The table's name (before the configured prefix).</summary>
    public const string TableName = "LocalSecrets";

    // The row key of a name's copy of its newest version: never a hex version, and unique per
    // name (see TableStore on why a row key shared by many partitions is slow under Azurite).
    private static string LatestRowKey(string name) => "~latest-" + name;

    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly TableStore _tables;

    // An AesGcm instance is not safe for concurrent use (OpenSSL fails the operation), so each
    // seal and open takes its own; setting one up costs far less than the table round trip.
    private readonly byte[] _key;

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
        Security.CostlyWork.Note();
        var reference = new SecretReference(name, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        var sealedValue = Seal(reference, value);
        var table = await _tables.GetAsync(TableName, cancellationToken);
        await table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.Add, new LocalSecretEntity
                {
                    PartitionKey = name, RowKey = reference.Version, Sealed = sealedValue,
                }),
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, new LocalSecretEntity
                {
                    PartitionKey = name, RowKey = LatestRowKey(name), Sealed = sealedValue, Version = reference.Version,
                }),
            ],
            cancellationToken);
        return reference;
    }

    /// <inheritdoc />
    public async Task<string> GetAsync(SecretReference reference, CancellationToken cancellationToken)
    {
        if (reference.Version.StartsWith('~'))
        {
            throw new SecretNotFoundException(reference);
        }

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
        var latest = await table.GetEntityIfExistsAsync<LocalSecretEntity>(name, LatestRowKey(name), cancellationToken: cancellationToken);
        if (!latest.HasValue || !latest.Value!.Enabled || latest.Value.Version is not { } version)
        {
            return null;
        }

        var reference = new SecretReference(name, version);
        return (reference, Open(reference, latest.Value.Sealed));
    }

    /// <inheritdoc />
    public async Task DisableAsync(SecretReference reference, CancellationToken cancellationToken)
    {
        Security.CostlyWork.Note();
        var table = await _tables.GetAsync(TableName, cancellationToken);
        var flag = new TableEntity(reference.Name, reference.Version) { ["Enabled"] = false };
        var latest = await table.GetEntityIfExistsAsync<LocalSecretEntity>(reference.Name, LatestRowKey(reference.Name), ["Version"], cancellationToken);
        if (latest.HasValue && latest.Value!.Version == reference.Version)
        {
            // The newest version and its copy go dark together, or not at all.
            var latestFlag = new TableEntity(reference.Name, LatestRowKey(reference.Name)) { ["Enabled"] = false };
            try
            {
                await table.SubmitTransactionAsync(
                    [
                        new TableTransactionAction(TableTransactionActionType.UpdateMerge, flag, ETag.All),
                        new TableTransactionAction(TableTransactionActionType.UpdateMerge, latestFlag, latest.Value.ETag),
                    ],
                    cancellationToken);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                // A newer version landed since the read: only this version's row needs the flag.
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                return;
            }
        }

        try
        {
            await table.UpdateEntityAsync(flag, ETag.All, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Gone already: unreadable, as asked.
        }
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        Security.CostlyWork.Note();
        var table = await _tables.GetAsync(TableName, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {name}");
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
