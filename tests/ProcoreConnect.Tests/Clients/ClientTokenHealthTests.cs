using System.Net;
using ProcoreConnect.Clients;
using ProcoreConnect.Procore;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.WorkspaceConnections;

namespace ProcoreConnect.Tests.Clients;

/// <summary>
/// One client-credentials client serving two environments (the monthly sandbox takes production
/// credentials): a failing environment backs off and breaks on its own, the other goes on.
/// </summary>
public sealed class ClientTokenHealthTests(ClientTokenHealthTests.Fixture fixture) : IClassFixture<ClientTokenHealthTests.Fixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task A_failing_environment_of_a_client_backs_off_and_breaks_alone_while_another_keeps_working()
    {
        var app = fixture.Simulator.Register(true, 1001, 1002);
        var name = await fixture.CreateClientAsync(app, "client_credentials");
        var production = await WorkspaceAsync(name, 1001, "production");
        var monthly = await WorkspaceAsync(name, 1002, "monthly");

        // The monthly sandbox cannot be reached: three failures, backed off in between.
        foreach (var wait in new[] { 0, 31, 61 })
        {
            fixture.Clock.Advance(TimeSpan.FromSeconds(wait));
            Assert.Equal(HttpStatusCode.BadGateway, (await Client.GetAsync($"/api/workspaces/{monthly}/token")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/api/workspaces/{production}/token")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Client.GetAsync($"/api/workspaces/{monthly}/token")).StatusCode); // cooling down
        var view = await (await Client.GetAsync($"/api/oauth-clients/{name}")).ReadAsync<OAuthClientResponse>();
        var only = Assert.Single(view.TokenHealth);
        Assert.Equal((ProcoreEnvironment.Monthly, "refresh_failing", 3), (only.Environment, only.BrokenReason, only.Failures));
        Assert.Equal("refresh_failing", view.BrokenReason);

        // Production's forced token comes from Procore at once: its environment is not backing off.
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync($"/api/workspaces/{production}/token/refresh", null)).StatusCode);
        Assert.Single((await (await Client.GetAsync($"/api/oauth-clients/{name}")).ReadAsync<OAuthClientResponse>()).TokenHealth);

        var attention = await (await Client.GetAsync("/api/workspaces/needs-attention")).ReadAsync<NeedsAttentionResponse>();
        var reason = Assert.Single(attention.OAuthClients.Single(c => c.Name == name).Reasons);
        Assert.Contains("in monthly", reason.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_caller_waiting_on_another_instance_s_lease_honours_the_back_off_that_instance_just_set()
    {
        var app = fixture.Simulator.Register(true, 1001);
        var name = await fixture.CreateClientAsync(app, "client_credentials");
        var id = await WorkspaceAsync(name, 1001, "production");
        var clientRef = new OAuthClientRef(AppFactory.DefaultPartner, name);
        var leases = fixture.App.Service<ProcoreConnect.Tokens.RefreshLeaseStore>();
        var held = await leases.TryAcquireAsync(new ProcoreConnect.Tokens.ClientTokenKey(clientRef, ProcoreEnvironment.Production).Value, "another-instance", default);
        Assert.NotNull(held);
        var before = (await fixture.Simulator.StatsAsync()).ClientCredentialsGrants;

        var polling = fixture.Clock.NextTimer(ProcoreFixture.LeasePoll);
        var waiting = Client.GetAsync($"/api/workspaces/{id}/token");
        await Wait.ForAsync(polling, "the token call to find the lease held and start polling it");
        // The other instance's token request failed: it records the back-off and lets go.
        var now = fixture.Clock.GetUtcNow();
        await fixture.App.Service<OAuthClientRepository>().ChangeAsync(clientRef, c => c.WithTokenHealth(
            ProcoreEnvironment.Production, c.TokenHealthIn(ProcoreEnvironment.Production).RefreshFailed(ConnectionHealth.RefreshFailing, transient: true, now)), default);
        await leases.ReleaseAsync(held!, default);
        await fixture.Clock.AdvanceUntilAsync(waiting, ProcoreFixture.LeasePoll, "the waiting token call");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await waiting).StatusCode); // no token yet, and backing off
        Assert.Equal(before, (await fixture.Simulator.StatsAsync()).ClientCredentialsGrants);
    }

    private async Task<string> WorkspaceAsync(string oauthClient, long companyId, string environment)
    {
        var id = Connections.NewId();
        var response = await Client.PutAsync($"/api/workspaces/{id}/connection",
            Json.Body(Connections.Valid(oauthClient).With("companyId", companyId).With("environment", environment)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return id;
    }

    [Fact]
    public async Task A_secret_refused_in_one_environment_stops_requests_there_only()
    {
        // The app exists in production but not in this sandbox (a sandbox copy older than the app).
        var app = fixture.Simulator.Register(true, 1001, 1002);
        var name = await fixture.CreateClientAsync(app, "client_credentials");
        var production = await WorkspaceAsync(name, 1001, "production");
        var sandbox = await WorkspaceAsync(name, 1002, "sandbox");

        Assert.Equal(HttpStatusCode.Conflict, (await Client.GetAsync($"/api/workspaces/{sandbox}/token")).StatusCode);
        var asked = (await fixture.Sandbox.StatsAsync()).FailedTokenRequests;
        Assert.Equal(HttpStatusCode.Conflict, (await Client.GetAsync($"/api/workspaces/{sandbox}/token")).StatusCode);
        Assert.Equal(asked, (await fixture.Sandbox.StatsAsync()).FailedTokenRequests); // not asked again with that secret

        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/api/workspaces/{production}/token")).StatusCode);
        var view = await (await Client.GetAsync($"/api/oauth-clients/{name}")).ReadAsync<OAuthClientResponse>();
        var only = Assert.Single(view.TokenHealth);
        Assert.Equal((ProcoreEnvironment.Sandbox, "invalid_client"), (only.Environment, only.BrokenReason));
        var attention = await (await Client.GetAsync("/api/workspaces/needs-attention")).ReadAsync<NeedsAttentionResponse>();
        Assert.Equal("client_secret_refused", Assert.Single(attention.OAuthClients.Single(c => c.Name == name).Reasons).Code);
    }

    /// <summary>
    /// Production at the simulator; the monthly sandbox at a closed port; the development sandbox at
    /// a second simulator where no app is registered (it refuses every client).
    /// </summary>
    public sealed class Fixture : ProcoreFixture
    {
        public SimulatorHost Sandbox { get; private set; } = null!;

        public override async Task InitializeAsync()
        {
            Sandbox = await SimulatorHost.StartAsync();
            await base.InitializeAsync();
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await Sandbox.DisposeAsync();
        }

        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(base.ExtraSettings)
        {
            ["Procore:Monthly:LoginBaseUrl"] = AppFactory.ClosedPort,
            ["Procore:Monthly:ApiBaseUrl"] = AppFactory.ClosedPort,
            ["Procore:Sandbox:LoginBaseUrl"] = Sandbox.BaseUrl.ToString(),
            ["Procore:Sandbox:ApiBaseUrl"] = Sandbox.BaseUrl.ToString(),
        };
    }
}
