using ProcoreConnect.Audit;
using ProcoreConnect.ClientManagement;
using ProcoreConnect.Clients;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tests.Security;

public sealed class AuditLogTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    [Fact]
    public async Task Every_configuration_change_records_who_what_and_when_without_secrets()
    {
        var account = fixture.Simulator.Register();
        var name = await fixture.CreateClientAsync(account, "client_credentials");
        var id = Connections.NewId();
        var body = Connections.Valid(name);
        (await fixture.Client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(body))).EnsureSuccessStatusCode();
        (await fixture.Client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(body.With("companyId", 1001)))).EnsureSuccessStatusCode();
        var rotated = account with { ClientSecret = Connections.NewSecret() };
        fixture.Simulator.State.Register(rotated);
        (await fixture.Client.PutAsync($"/api/oauth-clients/{name}/secret", Json.Body(new { clientSecret = rotated.ClientSecret }))).EnsureSuccessStatusCode();
        (await fixture.Client.PutAsync($"/api/workspaces/{id}/webhooks/procore", null)).EnsureSuccessStatusCode();

        var audit = await (await fixture.Client.GetAsync($"/api/workspaces/{id}/audit")).ReadAsync<List<AuditEntry>>();
        var clientAudit = await fixture.App.Service<AuditLog>().ReadAsync(OAuthClientEndpoints.AuditScope(new OAuthClientRef(AppFactory.DefaultPartner, name)), 10, default);

        Assert.Equal(["webhook.procore_configured", "workspace.updated", "workspace.created"], audit.Select(a => a.Action));
        Assert.Equal(["oauth_client.secret_rotated", "oauth_client.created"], clientAudit.Select(a => a.Action));
        Assert.All(audit.Concat(clientAudit), a => Assert.StartsWith("partner-a (", a.Actor, StringComparison.Ordinal));
        Assert.Contains("clientSecret", clientAudit[^1].Details, StringComparison.Ordinal);
        Assert.Equal("companyId, environment, oauthClient", audit[1].Details);
        Assert.All(audit, a => Assert.True(a.At <= fixture.Clock.GetUtcNow()));
        var all = System.Text.Json.JsonSerializer.Serialize(audit.Concat(clientAudit));
        Assert.DoesNotContain(account.ClientSecret, all, StringComparison.Ordinal);
        Assert.DoesNotContain(rotated.ClientSecret, all, StringComparison.Ordinal);

        var key = (await fixture.App.Service<WorkspaceRepository>().FindAsync(id, default))!.Key;
        (await fixture.Client.DeleteAsync($"/api/workspaces/{id}/connection")).EnsureSuccessStatusCode();
        var log = await fixture.App.Service<AuditLog>().ReadAsync(key, 10, default);
        Assert.Equal("workspace.deleted", log[0].Action);
    }
}
