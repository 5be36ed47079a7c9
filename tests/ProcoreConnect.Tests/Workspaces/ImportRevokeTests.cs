using System.Net;
using Microsoft.Extensions.Configuration;
using ProcoreConnect.Secrets;
using ProcoreConnect.Storage;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Tokens;

namespace ProcoreConnect.Tests.Workspaces;

/// <summary>
/// An import revokes exactly the grant it replaced, read under the refresh lease; when that grant
/// cannot be read it is left alone, never guessed as "the latest", which by then is the import.
/// </summary>
public sealed class ImportRevokeTests(ImportRevokeTests.Fixture fixture) : IClassFixture<ImportRevokeTests.Fixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task When_the_replaced_grant_cannot_be_read_the_imported_grant_survives_and_the_old_one_is_left_alone()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var old = await (await Client.GetAsync($"/api/workspaces/{id}/token")).ReadAsync<TokenResponse>();
        var (_, refresh) = fixture.Simulator.GrantElsewhere(app);

        fixture.LatestTokenReads.FailNext(); // Key Vault throttles the read of the grant being replaced
        var updated = await Client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid(app.ClientId).With("refreshToken", refresh)));

        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(0, fixture.LatestTokenReads.Pending); // the fault was spent on that read
        var now = await (await Client.GetAsync($"/api/workspaces/{id}/token")).ReadAsync<TokenResponse>();
        Assert.NotEqual(old.AccessToken, now.AccessToken);
        Assert.NotNull(fixture.Simulator.State.Authenticate(now.AccessToken)); // the import was not revoked
        Assert.NotNull(fixture.Simulator.State.Authenticate(old.AccessToken)); // unknown, so not revoked either
        Assert.Contains(fixture.App.Logs.Lines, l => l.Contains("could not be read, so that grant is not revoked", StringComparison.Ordinal));

        // The imported grant refreshes: its refresh token is alive at Procore.
        var forced = await Client.PostAsync($"/api/workspaces/{id}/token/refresh", null);
        Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
    }

    /// <summary>The app with a secret store whose next read of a workspace's newest tokens can be made to fail.</summary>
    public sealed class Fixture : ProcoreFixture
    {
        public LatestTokenReadFaults LatestTokenReads { get; } = new();

        protected override HttpClient Start(AppFactory app) =>
            base.Start(app.WithServices(services => services.AddSingleton<ISecretStore>(sp => new FaultyLatestTokenReads(
                new LocalEncryptedSecretStore(sp.GetRequiredService<TableStore>(), Convert.FromBase64String(sp.GetRequiredService<IConfiguration>()["SecretStore:LocalKey"]!)),
                LatestTokenReads))));
    }

    public sealed class LatestTokenReadFaults
    {
        private int _pending;

        public int Pending => Volatile.Read(ref _pending);

        public void FailNext() => Interlocked.Exchange(ref _pending, 1);

        public bool TakeOne() => Interlocked.CompareExchange(ref _pending, 0, 1) == 1;
    }

    private sealed class FaultyLatestTokenReads(ISecretStore inner, LatestTokenReadFaults faults) : ISecretStore
    {
        public string Kind => inner.Kind;

        public Task<SecretReference> SetAsync(string name, string value, CancellationToken cancellationToken) => inner.SetAsync(name, value, cancellationToken);

        public Task<string> GetAsync(SecretReference reference, CancellationToken cancellationToken) => inner.GetAsync(reference, cancellationToken);

        public Task<(SecretReference Reference, string Value)?> GetLatestAsync(string name, CancellationToken cancellationToken) =>
            name.EndsWith("-tokens", StringComparison.Ordinal) && faults.TakeOne()
                ? throw new IOException("injected: the secret store throttled this read")
                : inner.GetLatestAsync(name, cancellationToken);

        public Task DisableAsync(SecretReference reference, CancellationToken cancellationToken) => inner.DisableAsync(reference, cancellationToken);

        public Task DeleteAsync(string name, CancellationToken cancellationToken) => inner.DeleteAsync(name, cancellationToken);

        public Task CheckAsync(CancellationToken cancellationToken) => inner.CheckAsync(cancellationToken);
    }
}
