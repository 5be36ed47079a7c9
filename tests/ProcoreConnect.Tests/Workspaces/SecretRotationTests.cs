using System.Net;
using ProcoreConnect.Secrets;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tests.Workspaces;

public sealed class SecretRotationTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    private WorkspaceRepository Workspaces => fixture.App.Service<WorkspaceRepository>();

    private ISecretStore Secrets => fixture.App.Service<ISecretStore>();

    private Task<HttpResponseMessage> RotateAsync(string id, object body) =>
        fixture.Client.PutAsync($"/api/workspaces/{id}/connection/secret", Json.Body(body));

    [Fact]
    public async Task A_new_secret_is_proven_then_made_current_and_the_old_one_disabled_after()
    {
        var account = fixture.Simulator.Register();
        var id = await fixture.CreateWorkspaceAsync(account, "client_credentials");
        var old = (await Workspaces.FindAsync(id, default))!.ClientSecret;
        var rotated = account with { ClientSecret = Connections.NewSecret() };
        fixture.Simulator.State.Register(rotated); // regenerated in the Developer Portal

        var response = await RotateAsync(id, new { clientSecret = rotated.ClientSecret, clientSecretExpiresAt = "2027-06-01T00:00:00Z" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = await response.ReadAsync<ConnectionResponse>();
        Assert.Equal(DateTimeOffset.Parse("2027-06-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), view.ClientSecret.ExpiresAt);
        var current = (await Workspaces.FindAsync(id, default))!;
        Assert.Equal(rotated.ClientSecret, await Secrets.GetAsync(current.ClientSecret, default));
        await Assert.ThrowsAsync<SecretNotFoundException>(() => Secrets.GetAsync(old, default));
        Assert.DoesNotContain(rotated.ClientSecret, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_procore_refuses_changes_nothing()
    {
        var account = fixture.Simulator.Register();
        var id = await fixture.CreateWorkspaceAsync(account, "client_credentials");
        var before = (await Workspaces.FindAsync(id, default))!;

        var response = await RotateAsync(id, new { clientSecret = "not-the-new-secret" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("clientSecret", out _));
        var after = (await Workspaces.FindAsync(id, default))!;
        Assert.Equal(before.ClientSecret, after.ClientSecret);
        Assert.Equal(account.ClientSecret, await Secrets.GetAsync(after.ClientSecret, default));
        // The refused candidate was written, then disabled: nothing reads it.
        var latest = await Secrets.GetLatestAsync(SecretNames.ClientSecret(after.SecretPrefix), default);
        Assert.NotEqual("not-the-new-secret", latest?.Value);
    }

    [Fact]
    public async Task A_connected_code_flow_workspace_proves_the_secret_with_a_refresh()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var before = (await Workspaces.FindAsync(id, default))!;
        var rotated = app with { ClientSecret = Connections.NewSecret() };
        fixture.Simulator.State.Register(rotated);

        var response = await RotateAsync(id, new { clientSecret = rotated.ClientSecret });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = (await Workspaces.FindAsync(id, default))!;
        Assert.NotEqual(before.Tokens, after.Tokens);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.GetAsync($"/api/workspaces/{id}/token")).StatusCode);
    }

    [Fact]
    public async Task Rotation_needs_a_connected_code_flow_workspace_and_a_valid_body()
    {
        var app = fixture.Simulator.Register();
        var pending = await fixture.CreateWorkspaceAsync(app);
        Assert.Equal(HttpStatusCode.Conflict, (await RotateAsync(pending, new { clientSecret = "whatever-secret" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await RotateAsync(Connections.NewId(), new { clientSecret = "whatever-secret" })).StatusCode);
        foreach (var bad in new object[] { new { }, new { clientSecret = "" }, new { clientSecret = "has space" }, new { clientSecret = 42 }, new { other = "x" } })
        {
            var response = await RotateAsync(pending, bad);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
    }
}
