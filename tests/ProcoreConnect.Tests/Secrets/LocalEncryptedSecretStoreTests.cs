using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ProcoreConnect.Secrets;
using ProcoreConnect.Storage;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Secrets;

/// <summary>The local AES-GCM store against Azurite.</summary>
public sealed class LocalEncryptedSecretStoreTests : SecretStoreContract
{
    private readonly TableStore _tables;
    private readonly LocalEncryptedSecretStore _store;

    public LocalEncryptedSecretStoreTests()
    {
        _tables = new TableStore(
            new TableServiceClient(Azurite.Instance.ConnectionString),
            Options.Create(new StorageOptions { TablePrefix = Azurite.NewPrefix() }));
        _store = new LocalEncryptedSecretStore(_tables, RandomNumberGenerator.GetBytes(32));
    }

    protected override ISecretStore Store => _store;

    [Fact]
    public async Task Concurrent_writes_and_reads_do_not_interfere()
    {
        // One store instance serves every request of the app at once.
        var values = Enumerable.Range(0, 1000).Select(i => $"value-{i}-{Guid.NewGuid():N}").ToArray();
        var references = await Task.WhenAll(values.Select(v => Task.Run(() => _store.SetAsync("ws-concurrent-" + v[6..9].Trim('-'), v, default))));
        var read = await Task.WhenAll(references.Select(r => Task.Run(() => _store.GetAsync(r, default))));
        Assert.Equal(values, read);
    }

    [Fact]
    public async Task Rows_hold_ciphertext_only()
    {
        var reference = await _store.SetAsync("ws-cipher-check", "plain-text-marker", default);
        var table = await _tables.GetAsync(LocalEncryptedSecretStore.TableName, default);
        var row = (await table.GetEntityAsync<TableEntity>(reference.Name, reference.Version)).Value;
        var bytes = row.GetBinary("Sealed")!;
        Assert.DoesNotContain("plain-text-marker", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.Equal(12 + "plain-text-marker".Length + 16, bytes.Length);
    }

    [Fact]
    public async Task A_row_copied_under_another_name_does_not_decrypt()
    {
        var reference = await _store.SetAsync("ws-original", "value", default);
        var table = await _tables.GetAsync(LocalEncryptedSecretStore.TableName, default);
        var row = (await table.GetEntityAsync<TableEntity>(reference.Name, reference.Version)).Value;
        row.PartitionKey = "ws-attacker";
        await table.AddEntityAsync(row);
        await Assert.ThrowsAnyAsync<CryptographicException>(() => _store.GetAsync(new SecretReference("ws-attacker", reference.Version), default));
    }

    [Fact]
    public async Task Another_key_cannot_read_the_secrets()
    {
        var reference = await _store.SetAsync("ws-key-check", "value", default);
        var other = new LocalEncryptedSecretStore(_tables, RandomNumberGenerator.GetBytes(32));
        await Assert.ThrowsAnyAsync<CryptographicException>(() => other.GetAsync(reference, default));
    }

    [Fact]
    public void The_app_refuses_to_start_without_a_vault_or_a_local_key()
    {
        using var app = AppFactory.With(new Dictionary<string, string?> { ["SecretStore:LocalKey"] = null });
        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains("SecretStore:VaultUri", error.ToString(), StringComparison.Ordinal);
    }
}
