using System.Net;
using System.Net.Http.Headers;
using ProcoreConnect.Secrets;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Tokens;
using ProcoreConnect.WorkspaceConnections;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tests.OAuth;

/// <summary>
/// Whoever signs in decides what the grant reaches: a grant that cannot see the workspace's
/// company is revoked, not kept; and a person connecting again replaces (and revokes) the old grant.
/// </summary>
public sealed class SignInCompanyTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    private HttpClient Client => fixture.Client;

    private async Task<HttpStatusCode> MeAsync(string accessToken)
    {
        using var me = new HttpRequestMessage(HttpMethod.Get, "/rest/v1.0/me");
        me.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return (await fixture.Simulator.Http.SendAsync(me)).StatusCode;
    }

    [Fact]
    public async Task A_sign_in_that_cannot_see_the_company_connects_nothing_revokes_its_grant_and_says_which_company_was_expected()
    {
        var app = fixture.Simulator.Register(true, 2002, 3003); // the person belongs to other companies
        var id = await fixture.CreateWorkspaceAsync(app, companyId: 1001);
        var revocations = (await fixture.Simulator.StatsAsync()).Revocations;

        var (callback, _) = await fixture.Browser().ConnectAsync(id);

        Assert.Equal(HttpStatusCode.Forbidden, callback.StatusCode);
        var page = await callback.Content.ReadAsStringAsync();
        Assert.Contains("Procore company 1001", page, StringComparison.Ordinal);
        Assert.Contains("Company 2002", page, StringComparison.Ordinal);
        Assert.Equal(revocations + 1, (await fixture.Simulator.StatsAsync()).Revocations);
        var workspace = (await fixture.App.Service<WorkspaceRepository>().FindAsync(id, default))!;
        Assert.Equal(WorkspaceStatus.Pending, workspace.Status);
        Assert.Null(workspace.Tokens);
        var view = await (await Client.GetAsync($"/api/workspaces/{id}/connection")).ReadAsync<ConnectionResponse>();
        Assert.Equal("company_not_visible", view.BrokenReason);
        Assert.DoesNotContain("2002", view.LastError, StringComparison.Ordinal); // the person's companies are the person's, not the partner's
        var attention = await (await Client.GetAsync("/api/workspaces/needs-attention")).ReadAsync<NeedsAttentionResponse>();
        Assert.Contains("company_not_visible", attention.Workspaces.Single(w => w.WorkspaceId == id).Reasons.Select(r => r.Code));
        Assert.Equal(HttpStatusCode.Conflict, (await Client.GetAsync($"/api/workspaces/{id}/token")).StatusCode);

        // Someone of company 1001 signs in: connected, and the reason is gone.
        fixture.Simulator.State.Register(app with { Companies = [.. app.Companies, new ProcoreSimulator.State.SimulatedCompany(1001, "Company 1001", [10010])] });
        Assert.Equal(HttpStatusCode.OK, (await fixture.Browser().ConnectAsync(id)).Callback.StatusCode);
        var after = await (await Client.GetAsync($"/api/workspaces/{id}/connection")).ReadAsync<ConnectionResponse>();
        Assert.Equal(WorkspaceStatus.Connected, after.Status);
        Assert.Null(after.BrokenReason);
    }

    [Fact]
    public async Task A_failed_sign_in_for_another_company_leaves_a_connected_workspace_as_it_was()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var token = await (await Client.GetAsync($"/api/workspaces/{id}/token")).ReadAsync<TokenResponse>();
        var before = await Client.GetAsync($"/api/workspaces/{id}/connection");
        fixture.Simulator.State.Register(app with { Companies = [new ProcoreSimulator.State.SimulatedCompany(2002, "Company 2002")] });

        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Browser().ConnectAsync(id)).Callback.StatusCode);

        Assert.Equal(before.Headers.ETag, (await Client.GetAsync($"/api/workspaces/{id}/connection")).Headers.ETag);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(token.AccessToken));
    }

    [Fact]
    public async Task Connecting_again_revokes_the_grant_it_replaces()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var old = await (await Client.GetAsync($"/api/workspaces/{id}/token")).ReadAsync<TokenResponse>();
        var stored = (await fixture.App.Service<WorkspaceRepository>().FindAsync(id, default))!;
        var oldRefresh = TokenSecret.Parse(await fixture.App.Service<ISecretStore>().GetAsync(stored.Tokens!, default)).RefreshToken!;

        Assert.Equal(HttpStatusCode.OK, (await fixture.Browser().ConnectAsync(id)).Callback.StatusCode);

        var fresh = await (await Client.GetAsync($"/api/workspaces/{id}/token")).ReadAsync<TokenResponse>();
        Assert.NotEqual(old.AccessToken, fresh.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(old.AccessToken));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(fresh.AccessToken));
        var reuse = fixture.Simulator.State.Refresh(app, oldRefresh);
        Assert.Equal(400, reuse.Status); // the replaced grant's refresh token died with it
    }
}
