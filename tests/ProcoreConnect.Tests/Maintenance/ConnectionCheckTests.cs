using System.Net;
using ProcoreConnect.Maintenance;
using ProcoreConnect.Refresh;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tests.Maintenance;

public sealed class ConnectionCheckTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    private WorkspaceRepository Workspaces => fixture.App.Service<WorkspaceRepository>();

    [Fact]
    public async Task The_daily_check_records_results_flags_expiring_secrets_and_marks_revoked_connections()
    {
        var healthy = await fixture.ConnectedWorkspaceAsync(fixture.Simulator.Register());
        var revokedClient = fixture.Simulator.Register();
        var revoked = await fixture.ConnectedWorkspaceAsync(revokedClient);
        var expiringClient = fixture.Simulator.Register();
        var expiring = await fixture.CreateWorkspaceAsync(expiringClient, "client_credentials");
        var expiringName = (await Workspaces.FindAsync(expiring, default))!.Client.Name;
        await fixture.App.Service<ProcoreConnect.Clients.OAuthClientRepository>().ChangeAsync(
            new ProcoreConnect.Clients.OAuthClientRef(AppFactory.DefaultPartner, expiringName), c => c with { ClientSecretExpiresAt = fixture.Clock.GetUtcNow().AddDays(20) }, default);
        (await fixture.Client.GetAsync($"/api/workspaces/{expiring}/token")).EnsureSuccessStatusCode();
        fixture.Simulator.State.RevokeClient(revokedClient.ClientId);

        var response = await fixture.Client.PostAsync("/CheckConnections", Json.Raw("""{"Data":{"timer":{}},"Metadata":{}}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var ok = (await Workspaces.FindAsync(healthy, default))!;
        Assert.Equal(fixture.Clock.GetUtcNow(), ok.LastCheckedAt);
        Assert.True(ok.LastCheckOk);
        Assert.Equal(WorkspaceStatus.Connected, ok.Status);

        var gone = (await Workspaces.FindAsync(revoked, default))!;
        Assert.Equal(WorkspaceStatus.NeedsReauthorization, gone.Status);
        Assert.False(gone.LastCheckOk);
        Assert.Contains("revoked", gone.LastError, StringComparison.Ordinal);

        var soon = await (await fixture.Client.GetAsync($"/api/oauth-clients/{expiringName}")).ReadAsync<ProcoreConnect.Clients.OAuthClientResponse>();
        Assert.True(soon.ClientSecret.ExpiringSoon);
        Assert.Equal(WorkspaceStatus.Connected, (await Workspaces.FindAsync(expiring, default))!.Status);
        Assert.True((await fixture.Client.GetAsync($"/api/workspaces/{healthy}/connection")).IsSuccessStatusCode);
    }

    [Fact]
    public async Task The_check_restores_a_lost_refresh_index_entry()
    {
        var id = await fixture.ConnectedWorkspaceAsync(fixture.Simulator.Register());
        var workspace = (await Workspaces.FindAsync(id, default))!;
        var index = fixture.App.Service<RefreshDueIndex>();
        await index.RemoveAsync(new DueWorkspace(workspace.Ref, workspace.Key, workspace.RefreshDueAt!.Value), default);
        Assert.DoesNotContain(await index.DueAsync(workspace.RefreshDueAt.Value, 100_000, default), d => d.Subject == workspace.Key);

        await fixture.App.Service<ConnectionChecker>().CheckAllAsync(default);

        Assert.Contains(await index.DueAsync(workspace.RefreshDueAt.Value, 100_000, default), d => d.Subject == workspace.Key);
    }
}
