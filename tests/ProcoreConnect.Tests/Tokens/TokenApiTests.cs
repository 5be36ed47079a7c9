using System.Net;
using ProcoreConnect.Clients;
using ProcoreConnect.Secrets;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;
using ProcoreSimulator.State;

namespace ProcoreConnect.Tests.Tokens;

public sealed class TokenApiTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    private HttpClient Client => fixture.Client;

    private WorkspaceRepository Workspaces => fixture.App.Service<WorkspaceRepository>();

    [Fact]
    public async Task The_token_answer_has_its_documented_wire_names()
    {
        var id = await fixture.ConnectedWorkspaceAsync(fixture.Simulator.Register());

        var body = await (await Client.GetAsync($"/api/workspaces/{id}/token")).ReadJsonAsync();

        Assert.Equal(
            ["accessToken", "tokenType", "expiresAt", "companyId", "apiBaseUrl"],
            body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Bearer", body.GetProperty("tokenType").GetString());
    }

    [Fact]
    public async Task A_hot_token_is_served_from_memory_without_calling_procore()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var first = await (await Client.GetAsync($"/api/workspaces/{id}/token")).ReadAsync<TokenResponse>();
        var before = await fixture.Simulator.StatsAsync();
        for (var i = 0; i < 20; i++)
        {
            var again = await Client.GetAsync($"/api/workspaces/{id}/token");
            Assert.Equal("no-store", again.Headers.CacheControl?.ToString());
            Assert.Equal(first.AccessToken, (await again.ReadAsync<TokenResponse>()).AccessToken);
        }

        var after = await fixture.Simulator.StatsAsync();
        Assert.Equal(before.RefreshTokenGrants, after.RefreshTokenGrants);
    }

    [Fact]
    public async Task A_hundred_concurrent_calls_on_an_expiring_token_make_exactly_one_refresh()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var original = await (await Client.GetAsync($"/api/workspaces/{id}/token")).ReadAsync<TokenResponse>();
        var before = await fixture.Simulator.StatsAsync();
        fixture.Clock.Advance(TimeSpan.FromMinutes(85)); // 5 minutes left: inside the 10-minute lead time

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Client.GetAsync($"/api/workspaces/{id}/token")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var tokens = await Task.WhenAll(responses.Select(r => r.ReadAsync<TokenResponse>()));
        var refreshed = Assert.Single(tokens.Select(t => t.AccessToken).Distinct());
        Assert.NotEqual(original.AccessToken, refreshed);
        var after = await fixture.Simulator.StatsAsync();
        Assert.Equal(1, after.RefreshTokenGrants - before.RefreshTokenGrants);
        Assert.Equal(before.RefreshTokenReuses, after.RefreshTokenReuses);
    }

    [Fact]
    public async Task A_refresh_answered_500_spends_the_token_at_procore_the_valid_access_token_serves_meanwhile_and_then_a_person_is_needed()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var before = (await Workspaces.FindAsync(id, default))!;
        fixture.Clock.Advance(TimeSpan.FromMinutes(85));
        fixture.Simulator.State.SetFaults(new SimulatorFaults { TokenFailures = [500] });
        var stats = await fixture.Simulator.StatsAsync();

        var during = await Client.GetAsync($"/api/workspaces/{id}/token");

        // Procore failed, and (as it documents) the refresh token it was shown is spent. The
        // current access token still has 5 minutes: it is handed out, and nothing was retried.
        Assert.Equal(HttpStatusCode.OK, during.StatusCode);
        Assert.Equal(before.Tokens, (await Workspaces.FindAsync(id, default))!.Tokens);
        Assert.Equal(WorkspaceStatus.Connected, (await Workspaces.FindAsync(id, default))!.Status);
        Assert.Equal(stats.RefreshTokenReuses, (await fixture.Simulator.StatsAsync()).RefreshTokenReuses);

        // The next attempt learns it from Procore (invalid_grant): the workspace needs a person.
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        var after = await Client.GetAsync($"/api/workspaces/{id}/token");
        Assert.Equal(HttpStatusCode.Conflict, after.StatusCode);
        Assert.Equal("needs_reauthorization", (await after.ReadJsonAsync()).GetProperty("code").GetString());
        Assert.Equal(WorkspaceStatus.NeedsReauthorization, (await Workspaces.FindAsync(id, default))!.Status);
    }

    [Fact]
    public async Task An_expired_token_and_a_failing_procore_give_502_and_keep_the_refresh_token()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var before = (await Workspaces.FindAsync(id, default))!;
        fixture.Clock.Advance(TimeSpan.FromMinutes(95));
        fixture.Simulator.State.SetFaults(new SimulatorFaults { TokenFailures = [503] });

        var response = await Client.GetAsync($"/api/workspaces/{id}/token");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(before.Tokens, (await Workspaces.FindAsync(id, default))!.Tokens);
        fixture.Clock.Advance(ConnectionHealth.Backoff(1));
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/api/workspaces/{id}/token")).StatusCode);
    }

    [Fact]
    public async Task A_revoked_refresh_token_marks_the_workspace_needs_reauthorization()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        fixture.Simulator.State.RevokeClient(app.ClientId);
        fixture.Clock.Advance(TimeSpan.FromMinutes(85));

        var response = await Client.GetAsync($"/api/workspaces/{id}/token");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("needs_reauthorization", (await response.ReadJsonAsync()).GetProperty("code").GetString());
        var view = await (await Client.GetAsync($"/api/workspaces/{id}/connection")).ReadAsync<ConnectionResponse>();
        Assert.Equal(WorkspaceStatus.NeedsReauthorization, view.Status);
        Assert.Contains("invalid_grant", view.LastError, StringComparison.Ordinal);

        // Reconnecting in the browser makes it usable again.
        var (callback, _) = await fixture.Browser().ConnectAsync(id);
        Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/api/workspaces/{id}/token")).StatusCode);
    }

    [Fact]
    public async Task A_pending_code_flow_workspace_has_no_token_yet()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.CreateWorkspaceAsync(app);
        var response = await Client.GetAsync($"/api/workspaces/{id}/token");
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("not_connected", (await response.ReadJsonAsync()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/workspaces/{Connections.NewId()}/token")).StatusCode);
    }

    [Fact]
    public async Task Client_credentials_fetch_a_token_without_a_refresh_token_and_again_before_expiry()
    {
        var account = fixture.Simulator.Register();
        var id = await fixture.CreateWorkspaceAsync(account, "client_credentials");
        var before = await fixture.Simulator.StatsAsync();

        var firstResponse = await Client.GetAsync($"/api/workspaces/{id}/token");
        Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
        var first = await firstResponse.ReadAsync<TokenResponse>();
        var workspace = (await Workspaces.FindAsync(id, default))!;
        Assert.Equal(WorkspaceStatus.Connected, workspace.Status);
        Assert.Null(workspace.Tokens); // the token is the client's, kept once for all its workspaces
        var stored = await fixture.App.Service<ClientTokenStore>().FindAsync(new ClientTokenKey(workspace.Client, workspace.Environment), default);
        Assert.Equal(first.AccessToken, await fixture.App.Service<ISecretStore>().GetAsync(stored!.Token, default));

        fixture.Clock.Advance(TimeSpan.FromMinutes(85));
        var second = await Client.GetAsync($"/api/workspaces/{id}/token");
        Assert.NotEqual(first.AccessToken, (await second.ReadAsync<TokenResponse>()).AccessToken);
        Assert.Equal(2, (await fixture.Simulator.StatsAsync()).ClientCredentialsGrants - before.ClientCredentialsGrants);
    }

    [Fact]
    public async Task Wrong_client_credentials_are_reported_not_retried_forever()
    {
        var account = fixture.Simulator.Register();
        var id = await fixture.CreateWorkspaceAsync(account with { ClientSecret = "wrong-secret" }, "client_credentials");
        var response = await Client.GetAsync($"/api/workspaces/{id}/token");
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("invalid_client", (await response.ReadJsonAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_failed_refresh_token_write_is_retried_and_the_new_token_is_never_lost()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var secrets = fixture.App.Service<ISecretStore>();
        var persister = new TokenPersister(
            new FlakySecretStore(secrets, failures: 2), Workspaces, fixture.App.Service<ProcoreConnect.Tokens.RefreshDueIndex>(), TimeProvider.System,
            Microsoft.Extensions.Options.Options.Create(new TokenOptions()), fixture.App.Service<ILogger<TokenPersister>>());
        var workspace = (await Workspaces.FindAsync(id, default))!;

        var saved = await persister.PersistAsync(workspace, new ProcoreConnect.Procore.ProcoreTokenResponse
        {
            AccessToken = "new-access", RefreshToken = "new-refresh", ExpiresIn = 5400,
        }, default);

        Assert.Equal(new TokenSecret("new-access", "new-refresh"), TokenSecret.Parse(await secrets.GetAsync(saved.Tokens!, default)));
        Assert.Null(persister.UnpersistedRefreshToken(workspace.Key));
    }

    [Fact]
    public async Task A_refresh_token_that_cannot_be_written_stays_in_memory_for_the_next_attempt()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var persister = new TokenPersister(
            new FlakySecretStore(fixture.App.Service<ISecretStore>(), failures: 100), Workspaces, fixture.App.Service<ProcoreConnect.Tokens.RefreshDueIndex>(), TimeProvider.System,
            Microsoft.Extensions.Options.Options.Create(new TokenOptions { PersistAttempts = 2 }), fixture.App.Service<ILogger<TokenPersister>>());
        var workspace = (await Workspaces.FindAsync(id, default))!;

        await Assert.ThrowsAsync<IOException>(() => persister.PersistAsync(workspace, new ProcoreConnect.Procore.ProcoreTokenResponse
        {
            AccessToken = "a", RefreshToken = "kept-in-memory", ExpiresIn = 5400,
        }, default));

        Assert.Equal("kept-in-memory", persister.UnpersistedRefreshToken(workspace.Key));
        Assert.Equal(workspace.Tokens, (await Workspaces.FindAsync(id, default))!.Tokens);
    }

    private sealed class FlakySecretStore(ISecretStore inner, int failures) : ISecretStore
    {
        private int _left = failures;

        public string Kind => inner.Kind;

        public Task<SecretReference> SetAsync(string name, string value, CancellationToken cancellationToken) =>
            Interlocked.Decrement(ref _left) >= 0 ? throw new IOException("injected secret-store failure") : inner.SetAsync(name, value, cancellationToken);

        public Task<string> GetAsync(SecretReference reference, CancellationToken cancellationToken) => inner.GetAsync(reference, cancellationToken);

        public Task<(SecretReference Reference, string Value)?> GetLatestAsync(string name, CancellationToken cancellationToken) => inner.GetLatestAsync(name, cancellationToken);

        public Task DisableAsync(SecretReference reference, CancellationToken cancellationToken) => inner.DisableAsync(reference, cancellationToken);

        public Task DeleteAsync(string name, CancellationToken cancellationToken) => inner.DeleteAsync(name, cancellationToken);

        public Task CheckAsync(CancellationToken cancellationToken) => inner.CheckAsync(cancellationToken);
    }
}
