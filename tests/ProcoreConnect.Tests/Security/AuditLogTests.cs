using ProcoreConnect.Audit;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Security;

public sealed class AuditLogTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    [Fact]
    public async Task Every_configuration_change_records_who_what_and_when_without_secrets()
    {
        var account = fixture.Simulator.Register();
        var id = Connections.NewId();
        var body = Connections.Valid(account.ClientSecret).With("clientId", account.ClientId).With("authFlow", "client_credentials").Without("redirectUri");
        (await fixture.Client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(body))).EnsureSuccessStatusCode();
        (await fixture.Client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(body.With("companyId", 1001).Without("clientSecret")))).EnsureSuccessStatusCode();
        var rotated = account with { ClientSecret = Connections.NewSecret() };
        fixture.Simulator.State.Register(rotated);
        (await fixture.Client.PutAsync($"/api/workspaces/{id}/connection/secret", Json.Body(new { clientSecret = rotated.ClientSecret }))).EnsureSuccessStatusCode();
        (await fixture.Client.PutAsync($"/api/workspaces/{id}/webhooks/procore", null)).EnsureSuccessStatusCode();

        var audit = await (await fixture.Client.GetAsync($"/api/workspaces/{id}/audit")).ReadAsync<List<AuditEntry>>();

        Assert.Equal(["webhook.procore_configured", "workspace.secret_rotated", "workspace.updated", "workspace.created"], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.StartsWith("partner-a (", a.Actor, StringComparison.Ordinal));
        Assert.Contains("clientSecret", audit.Last().Details, StringComparison.Ordinal);
        Assert.DoesNotContain("clientSecret", audit[2].Details, StringComparison.Ordinal);
        Assert.All(audit, a => Assert.True(a.At <= fixture.Clock.GetUtcNow()));
        var all = System.Text.Json.JsonSerializer.Serialize(audit);
        Assert.DoesNotContain(account.ClientSecret, all, StringComparison.Ordinal);
        Assert.DoesNotContain(rotated.ClientSecret, all, StringComparison.Ordinal);

        (await fixture.Client.DeleteAsync($"/api/workspaces/{id}/connection")).EnsureSuccessStatusCode();
        var log = await fixture.App.Service<AuditLog>().ReadAsync(id, 10, default);
        Assert.Equal("workspace.deleted", log[0].Action);
    }
}
