using System.Net;
using ProcoreConnect.Clients;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;
using ProcoreSimulator.State;

namespace ProcoreConnect.Tests.Tokens;

/// <summary><c>POST /api/workspaces/{id}/token/refresh</c>: a new token now, single flight, backed off like any refresh.</summary>
public sealed class ForcedRefreshTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    private HttpClient Client => fixture.Client;

    private WorkspaceRepository Workspaces => fixture.App.Service<WorkspaceRepository>();

    private Task<HttpResponseMessage> ForceAsync(string id) => Client.PostAsync($"/api/workspaces/{id}/token/refresh", null);

    [Fact]
    public async Task A_forced_refresh_issues_a_new_token_though_the_current_one_is_fresh_and_keeps_the_index_true()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var current = await (await Client.GetAsync($"/api/workspaces/{id}/token")).ReadAsync<TokenResponse>();
        var before = await fixture.Simulator.StatsAsync();
        fixture.Clock.Advance(TimeSpan.FromMinutes(1)); // far from due

        var response = await ForceAsync(id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var forced = await response.ReadAsync<TokenResponse>();
        Assert.NotEqual(current.AccessToken, forced.AccessToken);
        Assert.True(forced.ExpiresAt > current.ExpiresAt);
        Assert.Equal(1, (await fixture.Simulator.StatsAsync()).RefreshTokenGrants - before.RefreshTokenGrants);
        Assert.Equal(forced.AccessToken, (await (await Client.GetAsync($"/api/workspaces/{id}/token")).ReadAsync<TokenResponse>()).AccessToken);

        // The sweep finds the workspace at its new due time, and only there.
        var row = (await Workspaces.FindAsync(id, default))!;
        var index = fixture.App.Service<RefreshDueIndex>();
        Assert.True(await index.ContainsAsync(row.Due(), default));
    }

    [Fact]
    public async Task Callers_forcing_together_share_one_refresh()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var before = await fixture.Simulator.StatsAsync();
        fixture.Clock.Advance(TimeSpan.FromSeconds(1)); // a token issued before the calls does not answer them

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => ForceAsync(id)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var tokens = await Task.WhenAll(responses.Select(r => r.ReadAsync<TokenResponse>()));
        Assert.Single(tokens.Select(t => t.AccessToken).Distinct());
        var after = await fixture.Simulator.StatsAsync();
        Assert.Equal(1, after.RefreshTokenGrants - before.RefreshTokenGrants);
        Assert.Equal(0, after.RefreshTokenReuses - before.RefreshTokenReuses);
    }

    [Fact]
    public async Task A_forced_refresh_of_a_dmsa_workspace_fetches_its_clients_shared_token_anew()
    {
        var account = fixture.Simulator.Register(true, 1001, 1002);
        var first = await fixture.CreateWorkspaceAsync(account, "client_credentials", companyId: 1001);
        var second = await fixture.CreateWorkspaceAsync(account, "client_credentials", companyId: 1002);
        var old = await (await Client.GetAsync($"/api/workspaces/{first}/token")).ReadAsync<TokenResponse>();
        var before = await fixture.Simulator.StatsAsync();
        // A shared token is fetched anew at most once a minute, however many forced refreshes ask.
        fixture.Clock.Advance(ClientTokenService.ForcedRefreshInterval + TimeSpan.FromSeconds(1));

        var forced = await (await ForceAsync(first)).ReadAsync<TokenResponse>();

        Assert.NotEqual(old.AccessToken, forced.AccessToken);
        Assert.Equal(1001, forced.CompanyId);
        Assert.Equal(1, (await fixture.Simulator.StatsAsync()).ClientCredentialsGrants - before.ClientCredentialsGrants);
        var sibling = await (await Client.GetAsync($"/api/workspaces/{second}/token")).ReadAsync<TokenResponse>();
        Assert.Equal(forced.AccessToken, sibling.AccessToken); // one token per client: the sibling follows
        Assert.Equal(1002, sibling.CompanyId);
    }

    [Fact]
    public async Task When_procore_fails_a_forced_refresh_says_so_instead_of_handing_back_the_old_token_and_then_backs_off()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var held = (await Workspaces.FindAsync(id, default))!.Tokens;
        fixture.Simulator.State.SetFaults(new SimulatorFaults { TokenFailures = [503] });
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));

        var failed = await ForceAsync(id);
        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Equal("30", failed.Headers.RetryAfter?.ToString());
        Assert.Equal(held, (await Workspaces.FindAsync(id, default))!.Tokens); // a throttled call spends nothing

        var stats = await fixture.Simulator.StatsAsync();
        var cooling = await ForceAsync(id);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, cooling.StatusCode);
        Assert.Equal("refresh_cooling_down", (await cooling.ReadJsonAsync()).GetProperty("code").GetString());
        var later = await fixture.Simulator.StatsAsync();
        Assert.Equal(stats.RefreshTokenGrants + stats.FailedTokenRequests, later.RefreshTokenGrants + later.FailedTokenRequests); // Procore not asked
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/api/workspaces/{id}/token")).StatusCode); // the valid token is still handed out

        fixture.Clock.Advance(ConnectionHealth.Backoff(1));
        Assert.Equal(HttpStatusCode.OK, (await ForceAsync(id)).StatusCode);
    }

    [Fact]
    public async Task A_forced_refresh_of_a_workspace_that_needs_a_person_or_does_not_exist_is_refused()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        fixture.Simulator.State.RevokeClient(app.ClientId);
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));

        var refused = await ForceAsync(id);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("needs_reauthorization", (await refused.ReadJsonAsync()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await ForceAsync(id)).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await ForceAsync(Connections.NewId())).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ForceAsync("Not_An_Id")).StatusCode);
        var other = fixture.App.ClientFor("partner-b");
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/workspaces/{id}/token/refresh", null)).StatusCode);
    }
}
