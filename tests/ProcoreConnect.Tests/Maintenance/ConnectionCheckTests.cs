using System.Net;
using ProcoreConnect.Maintenance;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Tokens;
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

        var response = await fixture.Client.InvokeAsAdminAsync("CheckConnections", """{"Data":{"timer":{}},"Metadata":{}}""");
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
    public async Task The_check_finds_and_restores_lost_refresh_index_entries_of_workspaces_and_shared_tokens()
    {
        var id = await fixture.ConnectedWorkspaceAsync(fixture.Simulator.Register());
        var workspace = (await Workspaces.FindAsync(id, default))!;
        var dmsa = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register(), "client_credentials");
        (await fixture.Client.GetAsync($"/api/workspaces/{dmsa}/token")).EnsureSuccessStatusCode();
        var dmsaWorkspace = (await Workspaces.FindAsync(dmsa, default))!;
        var sharedKey = new ProcoreConnect.Tokens.ClientTokenKey(dmsaWorkspace.Client, dmsaWorkspace.Environment);
        var shared = new DueClientToken(sharedKey, (await fixture.App.Service<ProcoreConnect.Tokens.ClientTokenStore>().FindAsync(sharedKey, default))!.RefreshDueAt);
        var index = fixture.App.Service<RefreshDueIndex>();
        await index.RemoveAsync(workspace.Due(), default);
        await index.RemoveAsync(shared, default);
        Assert.False(await index.ContainsAsync(workspace.Due(), default));

        var summary = await fixture.App.Service<ConnectionChecker>().CheckAllAsync(default);

        Assert.True(summary.IndexEntriesRestored >= 2);
        Assert.True(await index.ContainsAsync(workspace.Due(), default));
        Assert.True(await index.ContainsAsync(shared, default));
        Assert.Contains(fixture.App.Logs.Lines, l => l.Contains($"Refresh index entry of {workspace.Key} was missing; restored", StringComparison.Ordinal));
        Assert.Equal(0, (await fixture.App.Service<ConnectionChecker>().CheckAllAsync(default)).IndexEntriesRestored);
    }
}
