using System.Net;
using System.Security.Cryptography;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Tokens;

namespace ProcoreConnect.Tests.ProcoreCalls;

/// <summary>A 401 from Procore through the proxy: one refresh for everyone, one retry for a body that can be sent again.</summary>
public sealed class ProcoreProxyRetryTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    private HttpClient Client => fixture.Client;

    private static string Proxy(string id, string path) => $"/api/workspaces/{id}/procore/{path}";

    private async Task<string> TokenAsync(string id) => (await (await Client.GetAsync($"/api/workspaces/{id}/token")).ReadAsync<TokenResponse>()).AccessToken;

    [Fact]
    public async Task Callers_refused_together_share_one_refresh_and_each_is_sent_again()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        fixture.Simulator.State.EndAccessToken(await TokenAsync(id));
        var before = await fixture.Simulator.StatsAsync();
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Client.GetAsync(Proxy(id, $"rest/v1.0/echo/{i}"))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var after = await fixture.Simulator.StatsAsync();
        Assert.Equal(1, after.RefreshTokenGrants - before.RefreshTokenGrants);
        Assert.Equal(0, after.RefreshTokenReuses - before.RefreshTokenReuses);
    }

    [Fact]
    public async Task A_small_body_is_sent_again_whole_after_the_refresh()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        fixture.Simulator.State.EndAccessToken(await TokenAsync(id));
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        var body = RandomNumberGenerator.GetBytes(10_000);

        var response = await Client.PostAsync(Proxy(id, "rest/v1.0/uploads"), new ByteArrayContent(body));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var written = await response.ReadJsonAsync();
        Assert.Equal(body.Length, written.GetProperty("bytes").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), written.GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task A_dmsa_token_refused_within_its_first_minute_is_sent_by_no_call_and_a_new_one_serves_after_it()
    {
        // A client's token is fetched anew at most once a minute: the renewed token is the refused one.
        var account = fixture.Simulator.Register(true, 1001);
        var id = await fixture.CreateWorkspaceAsync(account, "client_credentials");
        fixture.Simulator.State.EndAccessToken(await TokenAsync(id));
        fixture.Clock.Advance(TimeSpan.FromSeconds(5));
        fixture.Simulator.Received.Clear();

        var response = await Client.GetAsync(Proxy(id, "rest/v1.0/echo/once"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("procore_refused_token", (await response.ReadJsonAsync()).GetProperty("code").GetString());
        Assert.Equal(TimeSpan.FromSeconds(60), response.Headers.RetryAfter?.Delta);
        Assert.Single(fixture.Simulator.Received.Received, r => r.Target.EndsWith("/echo/once", StringComparison.Ordinal));

        // Within that minute no call goes out with the refused token, each answered alike.
        fixture.Clock.Advance(TimeSpan.FromSeconds(10));
        var again = await Client.GetAsync(Proxy(id, "rest/v1.0/echo/again"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, again.StatusCode);
        Assert.Equal("procore_refused_token", (await again.ReadJsonAsync()).GetProperty("code").GetString());
        Assert.Equal(TimeSpan.FromSeconds(50), again.Headers.RetryAfter?.Delta);
        Assert.DoesNotContain(fixture.Simulator.Received.Received, r => r.Target.EndsWith("/echo/again", StringComparison.Ordinal));

        // Nor is it handed out, for a partner to send itself.
        var handedOut = await Client.GetAsync($"/api/workspaces/{id}/token");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, handedOut.StatusCode);
        Assert.Equal("procore_refused_token", (await handedOut.ReadJsonAsync()).GetProperty("code").GetString());
        Assert.Equal(TimeSpan.FromSeconds(50), handedOut.Headers.RetryAfter?.Delta);

        fixture.Clock.Advance(TimeSpan.FromSeconds(50));
        var later = await Client.GetAsync(Proxy(id, "rest/v1.0/echo/once"));

        Assert.True(later.StatusCode == HttpStatusCode.OK, $"{(int)later.StatusCode}: {await later.Content.ReadAsStringAsync()}");
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/api/workspaces/{id}/token")).StatusCode);
    }

    [Fact]
    public async Task A_401_on_a_body_too_large_to_keep_goes_back_and_spends_no_refresh()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        fixture.Simulator.State.EndAccessToken(await TokenAsync(id));
        var before = await fixture.Simulator.StatsAsync();

        var response = await Client.PostAsync(Proxy(id, "rest/v1.0/uploads"), new ByteArrayContent(new byte[200_000]));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before.RefreshTokenGrants, (await fixture.Simulator.StatsAsync()).RefreshTokenGrants);
    }

    [Fact]
    public async Task A_401_whose_refresh_is_refused_puts_the_workspace_in_needs_attention()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        fixture.Simulator.State.Revoke(await TokenAsync(id)); // the grant is gone: access and refresh token both
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));

        var response = await Client.GetAsync(Proxy(id, "rest/v1.0/echo/x"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("needs_reauthorization", (await response.ReadJsonAsync()).GetProperty("code").GetString());
        var attention = await (await Client.GetAsync("/api/workspaces/needs-attention")).ReadJsonAsync();
        Assert.Contains(attention.GetProperty("workspaces").EnumerateArray(), w => w.GetProperty("workspaceId").GetString() == id);
    }
}
