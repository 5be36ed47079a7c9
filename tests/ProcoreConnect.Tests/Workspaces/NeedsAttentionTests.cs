using System.Net;
using System.Text.Json;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Workspaces;

/// <summary><c>GET /api/workspaces/needs-attention</c>: everything a person has to act on, in one call.</summary>
public sealed class NeedsAttentionTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    private static string[] Codes(JsonElement item) => [.. item.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("code").GetString()!)];

    [Fact]
    public async Task Lists_each_workspace_and_client_that_needs_a_person_with_its_reasons_and_nothing_healthy()
    {
        var partner = fixture.App.ClientFor("partner-" + Guid.NewGuid().ToString("N")[..8], new() { AllowAutoRedirect = false });
        var browser = new Browser(partner, fixture.Simulator.BaseUrl);

        var healthyApp = fixture.Simulator.Register();
        var healthy = await fixture.CreateWorkspaceAsync(healthyApp, caller: partner);
        await browser.ConnectAsync(healthy);

        var pending = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register(), caller: partner);

        var revokedApp = fixture.Simulator.Register();
        var revoked = await fixture.CreateWorkspaceAsync(revokedApp, caller: partner);
        await browser.ConnectAsync(revoked);

        var expiringApp = fixture.Simulator.Register();
        var expiringClient = await fixture.CreateClientAsync(expiringApp, caller: partner);
        var body = Connections.Client(expiringApp.ClientSecret, clientId: expiringApp.ClientId).Without("redirectUri")
            .With("clientSecretExpiresAt", fixture.Clock.GetUtcNow().AddDays(10).ToString("O"));
        (await partner.PutAsync($"/api/oauth-clients/{expiringClient}", Json.Body(body))).EnsureSuccessStatusCode();
        var onExpiring = Connections.NewId();
        (await partner.PutAsync($"/api/workspaces/{onExpiring}/connection", Json.Body(Connections.Valid(expiringClient).With("tags", new { customer = "c-9" })))).EnsureSuccessStatusCode();
        await browser.ConnectAsync(onExpiring);

        fixture.Simulator.State.RevokeClient(revokedApp.ClientId);
        fixture.Clock.Advance(TimeSpan.FromMinutes(85));
        Assert.Equal(HttpStatusCode.Conflict, (await partner.GetAsync($"/api/workspaces/{revoked}/token")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await partner.GetAsync($"/api/workspaces/{healthy}/token")).StatusCode);

        var response = await partner.GetAsync("/api/workspaces/needs-attention");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.ReadJsonAsync();
        var workspaces = answer.GetProperty("workspaces").EnumerateArray().ToDictionary(w => w.GetProperty("workspaceId").GetString()!);
        Assert.Equal(new[] { pending, revoked, onExpiring }.Order(StringComparer.Ordinal), workspaces.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["not_connected"], Codes(workspaces[pending]));
        Assert.Equal(["needs_reauthorization"], Codes(workspaces[revoked]));
        Assert.Contains($"/api/workspaces/{revoked}/connect", workspaces[revoked].GetProperty("reasons")[0].GetProperty("action").GetString(), StringComparison.Ordinal);
        Assert.Equal(["client_secret_expiring"], Codes(workspaces[onExpiring]));
        Assert.Equal("c-9", workspaces[onExpiring].GetProperty("tags").GetProperty("customer").GetString());

        var client = Assert.Single(answer.GetProperty("oauthClients").EnumerateArray());
        Assert.Equal(expiringClient, client.GetProperty("name").GetString());
        Assert.Equal(1, client.GetProperty("workspaces").GetInt32());
        Assert.Equal(["client_secret_expiring"], Codes(client));
        Assert.Contains($"/api/oauth-clients/{expiringClient}/secret", client.GetProperty("reasons")[0].GetProperty("action").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_partner_with_nothing_to_do_gets_empty_lists_and_sees_no_one_elses()
    {
        var partner = fixture.App.ClientFor("partner-" + Guid.NewGuid().ToString("N")[..8]);

        var answer = await (await partner.GetAsync("/api/workspaces/needs-attention")).ReadJsonAsync();

        Assert.Empty(answer.GetProperty("workspaces").EnumerateArray());
        Assert.Empty(answer.GetProperty("oauthClients").EnumerateArray());
    }
}
