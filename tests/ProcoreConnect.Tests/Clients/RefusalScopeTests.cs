using System.Net;
using ProcoreConnect.Clients;
using ProcoreConnect.Procore;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.WorkspaceConnections;
using ProcoreSimulator.State;

namespace ProcoreConnect.Tests.Clients;

/// <summary>
/// A refusal stops only what it proves: <c>invalid_client</c> marks a client in one environment, and
/// a refusal met in one partner's sign-in on a shared client changes shared state only once the
/// service has seen it itself. The operator's app has another secret in the sandbox (a separate
/// simulator stands for Procore's sandbox hosts).
/// </summary>
public sealed class RefusalScopeTests(RefusalScopeTests.TwoEnvironments fixture) : IClassFixture<RefusalScopeTests.TwoEnvironments>
{
    /// <summary>Production on one simulator, the development sandbox on another, as at Procore.</summary>
    public sealed class TwoEnvironments : ProcoreFixture
    {
        public SimulatorHost Sandbox { get; private set; } = null!;

        protected override IDictionary<string, string?> ExtraSettings
        {
            get
            {
                var settings = base.ExtraSettings;
                settings["Procore:Sandbox:LoginBaseUrl"] = Sandbox.BaseUrl.ToString();
                settings["Procore:Sandbox:ApiBaseUrl"] = Sandbox.BaseUrl.ToString();
                return settings;
            }
        }

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
    }

    private const string PartnerA = "partner-refusal-a";
    private const string PartnerB = "partner-refusal-b";

    private HttpClient Partner(string partnerId) => fixture.App.ClientFor(partnerId, ProcoreFixture.NoRedirectsNoCookies);

    private HttpClient Admin()
    {
        var admin = fixture.App.AnonymousClient();
        admin.DefaultRequestHeaders.Add("X-Api-Key", AppFactory.AdminKey);
        return admin;
    }

    // The operator's code-flow app: production credentials in the client; the sandbox copy of the app has a secret of its own.
    private async Task<(SimulatedClient App, string Name)> SharedAppAsync()
    {
        var app = fixture.Simulator.Register();
        fixture.Sandbox.State.Register(app with { ClientSecret = Connections.NewSecret() });
        var name = Connections.NewClientName();
        var body = Connections.Client(app.ClientSecret, clientId: app.ClientId).Without("redirectUri");
        Assert.Equal(HttpStatusCode.Created, (await Admin().PutAsync($"/api/oauth-clients/{name}", Json.Body(body))).StatusCode);
        return (app, name);
    }

    private static async Task<string> WorkspaceAsync(HttpClient partner, string client, string environment)
    {
        var id = Connections.NewId();
        var response = await partner.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid(client).With("environment", environment)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return id;
    }

    [Fact]
    public async Task A_sandbox_refusal_in_one_partners_sign_in_leaves_another_partners_production_workspace_refreshing()
    {
        var (_, name) = await SharedAppAsync();
        var (a, b) = (Partner(PartnerA), Partner(PartnerB));
        var bProduction = await WorkspaceAsync(b, name, "production");
        Assert.Equal(HttpStatusCode.OK, (await new Browser(b, fixture.Simulator.BaseUrl).ConnectAsync(bProduction)).Callback.StatusCode);
        var aSandbox = await WorkspaceAsync(a, name, "sandbox");

        var (signIn, _) = await new Browser(a, fixture.Sandbox.BaseUrl).ConnectAsync(aSandbox);

        Assert.Equal(HttpStatusCode.BadGateway, signIn.StatusCode);
        Assert.Contains("Development sandbox", await signIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Confirmed in the sandbox by the service itself: the client is refused there, and there only.
        var client = (await fixture.App.Service<OAuthClientRepository>().FindAsync(new OAuthClientRef(OAuthClientRef.PublicOwner, name), default))!;
        Assert.True(client.SecretRefusedIn(ProcoreEnvironment.Sandbox));
        Assert.False(client.SecretRefusedIn(ProcoreEnvironment.Production));

        Assert.Equal(HttpStatusCode.OK, (await b.PostAsync($"/api/workspaces/{bProduction}/token/refresh", null)).StatusCode);
        var attention = await (await b.GetAsync("/api/workspaces/needs-attention")).ReadAsync<NeedsAttentionResponse>();
        Assert.DoesNotContain(attention.Workspaces, w => w.WorkspaceId == bProduction);
    }

    [Fact]
    public async Task A_refusal_the_service_cannot_confirm_stops_only_that_sign_in()
    {
        var (_, name) = await SharedAppAsync();
        var (a, b) = (Partner(PartnerA), Partner(PartnerB));
        var bProduction = await WorkspaceAsync(b, name, "production");
        Assert.Equal(HttpStatusCode.OK, (await new Browser(b, fixture.Simulator.BaseUrl).ConnectAsync(bProduction)).Callback.StatusCode);
        var aProduction = await WorkspaceAsync(a, name, "production");
        fixture.Simulator.State.SetFaults(new SimulatorFaults { TokenRefusals = ["invalid_client"] }); // what A's sign-in meets, once

        var (signIn, _) = await new Browser(a, fixture.Simulator.BaseUrl).ConnectAsync(aProduction);

        Assert.Equal(HttpStatusCode.BadGateway, signIn.StatusCode);
        Assert.Contains("credentials work in Production", await signIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var client = (await fixture.App.Service<OAuthClientRepository>().FindAsync(new OAuthClientRef(OAuthClientRef.PublicOwner, name), default))!;
        Assert.False(client.SecretRefusedAnywhere);
        Assert.Equal(HttpStatusCode.OK, (await b.PostAsync($"/api/workspaces/{bProduction}/token/refresh", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await new Browser(a, fixture.Simulator.BaseUrl).ConnectAsync(aProduction)).Callback.StatusCode);
    }

    [Fact]
    public async Task A_refused_refresh_in_one_environment_keeps_the_clients_other_environments_refreshing()
    {
        var app = fixture.Simulator.Register();
        fixture.Sandbox.State.Register(app);
        var name = await fixture.CreateClientAsync(app);
        var (production, sandbox) = (await WorkspaceAsync(Partner(AppFactory.DefaultPartner), name, "production"), await WorkspaceAsync(Partner(AppFactory.DefaultPartner), name, "sandbox"));
        Assert.Equal(HttpStatusCode.OK, (await new Browser(Partner(AppFactory.DefaultPartner), fixture.Simulator.BaseUrl).ConnectAsync(production)).Callback.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await new Browser(Partner(AppFactory.DefaultPartner), fixture.Sandbox.BaseUrl).ConnectAsync(sandbox)).Callback.StatusCode);
        fixture.Sandbox.State.Register(app with { ClientSecret = Connections.NewSecret() }); // regenerated for the sandbox only
        fixture.Clock.Advance(TimeSpan.FromSeconds(1)); // a forced refresh wants a token issued after the one held

        var refused = await Partner(AppFactory.DefaultPartner).PostAsync($"/api/workspaces/{sandbox}/token/refresh", null);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("invalid_client", (await refused.ReadJsonAsync()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Partner(AppFactory.DefaultPartner).PostAsync($"/api/workspaces/{production}/token/refresh", null)).StatusCode);
        var attention = await (await Partner(AppFactory.DefaultPartner).GetAsync("/api/workspaces/needs-attention")).ReadAsync<NeedsAttentionResponse>();
        Assert.DoesNotContain(attention.Workspaces, w => w.WorkspaceId == production);
        Assert.Contains("client_secret_refused", attention.Workspaces.Single(w => w.WorkspaceId == sandbox).Reasons.Select(r => r.Code));
    }
}
