using System.Net;
using ProcoreConnect.Clients;
using ProcoreConnect.Secrets;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Workspaces;
using ProcoreSimulator.State;

namespace ProcoreConnect.Tests.Clients;

public sealed class ClientSecretRotationTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    private WorkspaceRepository Workspaces => fixture.App.Service<WorkspaceRepository>();

    private OAuthClientRepository Clients => fixture.App.Service<OAuthClientRepository>();

    private ISecretStore Secrets => fixture.App.Service<ISecretStore>();

    private Task<HttpResponseMessage> RotateAsync(string name, object body) =>
        fixture.Client.PutAsync($"/api/oauth-clients/{name}/secret", Json.Body(body));

    private async Task<OAuthClient> ClientAsync(string name) => (await Clients.FindAsync(new OAuthClientRef(AppFactory.DefaultPartner, name), default))!;

    [Fact]
    public async Task A_new_secret_is_proven_then_made_current_and_the_old_one_disabled_after()
    {
        var account = fixture.Simulator.Register();
        var id = await fixture.CreateWorkspaceAsync(account, "client_credentials");
        var name = (await Workspaces.FindAsync(id, default))!.Client.Name;
        var old = (await ClientAsync(name)).ClientSecret;
        var rotated = account with { ClientSecret = Connections.NewSecret() };
        fixture.Simulator.State.Register(rotated); // regenerated in the Developer Portal

        var response = await RotateAsync(name, new { clientSecret = rotated.ClientSecret, clientSecretExpiresAt = "2027-06-01T00:00:00Z" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = await response.ReadAsync<OAuthClientResponse>();
        Assert.Equal(DateTimeOffset.Parse("2027-06-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), view.ClientSecret.ExpiresAt);
        var current = await ClientAsync(name);
        Assert.Equal(rotated.ClientSecret, await Secrets.GetAsync(current.ClientSecret, default));
        await Assert.ThrowsAsync<SecretNotFoundException>(() => Secrets.GetAsync(old, default));
        Assert.DoesNotContain(rotated.ClientSecret, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_procore_refuses_changes_nothing()
    {
        var account = fixture.Simulator.Register();
        var id = await fixture.CreateWorkspaceAsync(account, "client_credentials");
        var name = (await Workspaces.FindAsync(id, default))!.Client.Name;
        var before = await ClientAsync(name);

        var response = await RotateAsync(name, new { clientSecret = "not-the-new-secret" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("clientSecret", out _));
        var after = await ClientAsync(name);
        Assert.Equal(before.ClientSecret, after.ClientSecret);
        Assert.Equal(account.ClientSecret, await Secrets.GetAsync(after.ClientSecret, default));
        // The refused candidate was written, then disabled: nothing reads it.
        var latest = await Secrets.GetLatestAsync(SecretNames.ClientSecret(after.SecretPrefix), default);
        Assert.NotEqual("not-the-new-secret", latest?.Value);
    }

    [Fact]
    public async Task A_code_flow_secret_is_proven_by_refreshing_one_connected_workspace_and_serves_them_all()
    {
        var app = fixture.Simulator.Register();
        var first = await fixture.ConnectedWorkspaceAsync(app);
        var second = await fixture.ConnectedWorkspaceAsync(app);
        var name = (await Workspaces.FindAsync(first, default))!.Client.Name;
        var before = new[] { (await Workspaces.FindAsync(first, default))!.Tokens, (await Workspaces.FindAsync(second, default))!.Tokens };
        var rotated = app with { ClientSecret = Connections.NewSecret() };
        fixture.Simulator.State.Register(rotated);

        var response = await RotateAsync(name, new { clientSecret = rotated.ClientSecret });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var refreshed = new[] { (await Workspaces.FindAsync(first, default))!.Tokens, (await Workspaces.FindAsync(second, default))!.Tokens };
        Assert.Equal(1, refreshed.Zip(before).Count(p => p.First != p.Second));

        // The other workspace refreshes with the new secret when its token is due.
        fixture.Clock.Advance(TimeSpan.FromMinutes(85));
        foreach (var id in new[] { first, second })
        {
            Assert.Equal(HttpStatusCode.OK, (await fixture.Client.GetAsync($"/api/workspaces/{id}/token")).StatusCode);
        }
    }

    [Fact]
    public async Task A_code_flow_secret_procore_could_not_check_changes_nothing()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var name = (await Workspaces.FindAsync(id, default))!.Client.Name;
        var before = await ClientAsync(name);

        // Procore's token endpoint fails the proof's refresh; the workspace's token is still valid.
        fixture.Simulator.State.SetFaults(new SimulatorFaults { TokenFailures = [503] });
        HttpResponseMessage response;
        try
        {
            response = await RotateAsync(name, new { clientSecret = "never-proven-secret" });
        }
        finally
        {
            fixture.Simulator.State.SetFaults(new SimulatorFaults());
        }

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var after = await ClientAsync(name);
        Assert.Equal(before.ClientSecret, after.ClientSecret);
        Assert.Equal(app.ClientSecret, await Secrets.GetAsync(after.ClientSecret, default));
    }

    [Fact]
    public async Task Rotation_needs_something_to_prove_with_and_a_valid_body()
    {
        var app = fixture.Simulator.Register();
        var pending = await fixture.CreateWorkspaceAsync(app);
        var name = (await Workspaces.FindAsync(pending, default))!.Client.Name;
        Assert.Equal(HttpStatusCode.Conflict, (await RotateAsync(name, new { clientSecret = "whatever-secret" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await RotateAsync(Connections.NewClientName(), new { clientSecret = "whatever-secret" })).StatusCode);
        foreach (var bad in new object[] { new { }, new { clientSecret = "" }, new { clientSecret = "has space" }, new { clientSecret = 42 }, new { other = "x" }, new { clientSecret = "ok-secret", environment = "staging" } })
        {
            var response = await RotateAsync(name, bad);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        // A client-credentials client no workspace uses yet is proven in the environment named.
        var account = fixture.Simulator.Register();
        var unused = await fixture.CreateClientAsync(account, "client_credentials");
        var missing = await RotateAsync(unused, new { clientSecret = account.ClientSecret });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.True((await missing.ReadJsonAsync()).GetProperty("errors").TryGetProperty("environment", out _));
        Assert.Equal(HttpStatusCode.OK, (await RotateAsync(unused, new { clientSecret = account.ClientSecret, environment = "production" })).StatusCode);
    }
}
