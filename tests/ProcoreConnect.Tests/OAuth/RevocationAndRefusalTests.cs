using System.Net;
using ProcoreConnect.Clients;
using ProcoreConnect.Secrets;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tests.OAuth;

public sealed class RevocationAndRefusalTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    private WorkspaceRepository Workspaces => fixture.App.Service<WorkspaceRepository>();

    private async Task<HttpStatusCode> AtProcoreAsync(string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/rest/v1.0/me");
        request.Headers.Authorization = new("Bearer", accessToken);
        return (await fixture.Simulator.Http.SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task Deleting_a_code_flow_workspace_revokes_its_grant_at_procore_before_the_secrets_go()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var workspace = (await Workspaces.FindAsync(id, default))!;
        var tokens = TokenSecret.Parse(await fixture.App.Service<ISecretStore>().GetAsync(workspace.Tokens!, default));
        Assert.Equal(HttpStatusCode.OK, await AtProcoreAsync(tokens.AccessToken));
        var before = await fixture.Simulator.StatsAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await fixture.Client.DeleteAsync($"/api/workspaces/{id}/connection")).StatusCode);

        Assert.Equal(1, (await fixture.Simulator.StatsAsync()).Revocations - before.Revocations);
        Assert.Equal(HttpStatusCode.Unauthorized, await AtProcoreAsync(tokens.AccessToken));
        Assert.Equal(400, fixture.Simulator.State.Refresh(app, tokens.RefreshToken).Status); // the refresh token went with it
        await Assert.ThrowsAsync<SecretNotFoundException>(() => fixture.App.Service<ISecretStore>().GetAsync(workspace.Tokens!, default));
    }

    [Fact]
    public async Task A_secret_procore_refuses_stops_every_workspace_of_the_client_from_presenting_its_refresh_token_until_it_is_replaced()
    {
        var app = fixture.Simulator.Register();
        var first = await fixture.ConnectedWorkspaceAsync(app);
        var second = await fixture.ConnectedWorkspaceAsync(app);
        var name = (await Workspaces.FindAsync(first, default))!.Client.Name;

        // The secret was regenerated in the Developer Portal, and nobody told this service yet.
        var regenerated = app with { ClientSecret = Connections.NewSecret() };
        fixture.Simulator.State.Register(regenerated);
        fixture.Clock.Advance(TimeSpan.FromMinutes(85));

        var refused = await fixture.Client.GetAsync($"/api/workspaces/{first}/token");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("invalid_client", (await refused.ReadJsonAsync()).GetProperty("code").GetString());
        var client = await (await fixture.Client.GetAsync($"/api/oauth-clients/{name}")).ReadAsync<OAuthClientResponse>();
        Assert.True(client.ClientSecret.RefusedByProcore);

        // The second workspace does not present its refresh token with the refused secret: nothing reaches Procore.
        var before = await fixture.Simulator.StatsAsync();
        var held = await fixture.Client.GetAsync($"/api/workspaces/{second}/token");
        Assert.Equal(HttpStatusCode.Conflict, held.StatusCode);
        Assert.Contains("Nothing is sent to Procore", (await held.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var after = await fixture.Simulator.StatsAsync();
        Assert.Equal((before.RefreshTokenGrants, before.FailedTokenRequests, before.RefreshTokenReuses), (after.RefreshTokenGrants, after.FailedTokenRequests, after.RefreshTokenReuses));

        // The partner rotates: the proof refreshes the second workspace, whose refresh token was kept.
        var rotated = await fixture.Client.PutAsync($"/api/oauth-clients/{name}/secret", Json.Body(new { clientSecret = regenerated.ClientSecret }));
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.False((await rotated.ReadAsync<OAuthClientResponse>()).ClientSecret.RefusedByProcore);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.GetAsync($"/api/workspaces/{second}/token")).StatusCode);
    }
}
