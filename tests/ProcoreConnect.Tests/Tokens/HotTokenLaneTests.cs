using System.Net;
using ProcoreConnect.Security;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Tokens;

/// <summary>The hot token call answered ahead of the pipeline: the endpoint's answer, and nothing for a caller the pipeline would refuse.</summary>
public sealed class HotTokenLaneTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    [Fact]
    public async Task A_hot_answer_is_byte_for_byte_the_endpoints_and_a_revoked_key_gets_none()
    {
        var admin = fixture.App.AnonymousClient();
        admin.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, AppFactory.AdminKey);
        var created = await (await admin.PostAsync($"/api/partners/{AppFactory.DefaultPartner}/keys", null)).ReadJsonAsync();
        var partner = fixture.App.AnonymousClient();
        partner.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, created.GetProperty("key").GetString());
        var id = await fixture.ConnectedWorkspaceAsync(fixture.Simulator.Register());
        fixture.App.Service<ProcoreConnect.Tokens.TokenCache>().Remove(new(AppFactory.DefaultPartner, id));

        // The first call loads the token through the endpoint; the second finds it hot.
        var loaded = await partner.GetAsync($"/api/workspaces/{id}/token");
        var hot = await partner.GetAsync($"/api/workspaces/{id}/token");
        Assert.NotNull(fixture.App.Service<ProcoreConnect.Tokens.TokenReader>().Hot(new(AppFactory.DefaultPartner, id)));

        Assert.Equal(HttpStatusCode.OK, hot.StatusCode);
        Assert.Equal(await loaded.Content.ReadAsStringAsync(), await hot.Content.ReadAsStringAsync());
        Assert.Equal(loaded.Content.Headers.ContentType, hot.Content.Headers.ContentType);
        Assert.Equal("no-store", hot.Headers.CacheControl?.ToString());

        // Hot or not, a workspace of another partner, an admin key and a revoked key get what the pipeline says.
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.App.ClientFor("partner-other").GetAsync($"/api/workspaces/{id}/token")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync($"/api/workspaces/{id}/token")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/partners/{AppFactory.DefaultPartner}/keys/{created.GetProperty("keyId").GetString()}")).StatusCode);
        var refused = await partner.GetAsync($"/api/workspaces/{id}/token");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains(fixture.App.Logs.Lines, l => l.Contains("revoked API key", StringComparison.Ordinal));
    }
}
