using Azure.Security.KeyVault.Secrets;
using ProcoreConnect.Secrets;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Secrets;

/// <summary>The Key Vault store through the real SecretClient against a loopback HTTPS Key Vault.</summary>
public sealed class KeyVaultSecretStoreTests : SecretStoreContract, IAsyncLifetime
{
    private FakeKeyVault _vault = null!;
    private KeyVaultSecretStore _store = null!;

    protected override ISecretStore Store => _store;

    public async Task InitializeAsync()
    {
        _vault = await FakeKeyVault.StartAsync();
        _store = new KeyVaultSecretStore(_vault.CreateClient());
    }

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    [Fact]
    public async Task The_client_answers_the_bearer_challenge_and_speaks_the_rest_api()
    {
        var reference = await _store.SetAsync("ws-protocol-check", "v", default);
        await _store.DisableAsync(reference, default);
        await _store.DeleteAsync("ws-protocol-check", default);
        Assert.True(_vault.Challenges >= 1);
        Assert.Contains("PUT /secrets/ws-protocol-check", _vault.Requests);
        Assert.Contains($"PATCH /secrets/ws-protocol-check/{reference.Version}", _vault.Requests);
        Assert.Contains("DELETE /secrets/ws-protocol-check", _vault.Requests);
    }

    [Fact]
    public async Task The_app_uses_key_vault_when_a_vault_uri_is_configured()
    {
        using var app = AppFactory.With(new Dictionary<string, string?> { ["SecretStore:VaultUri"] = _vault.VaultUri.ToString(), ["SecretStore:LocalKey"] = null })
            .WithServices(s => s.AddSingleton(_vault.CreateClient()));
        var store = app.Service<ISecretStore>();
        Assert.IsType<KeyVaultSecretStore>(store);

        var client = app.CreateClient();
        var name = Connections.NewClientName();
        (await client.PutAsync($"/api/oauth-clients/{name}", Json.Body(Connections.Client()))).EnsureSuccessStatusCode();
        Assert.Contains(_vault.Requests, r => r.StartsWith($"PUT /secrets/oc-{name}-", StringComparison.Ordinal));
        var health = await client.GetAsync("/api/health");
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("key-vault", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
