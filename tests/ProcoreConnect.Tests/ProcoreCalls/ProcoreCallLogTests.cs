using System.Net;
using System.Text.Json;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Tokens;

namespace ProcoreConnect.Tests.ProcoreCalls;

/// <summary><c>GET /api/workspaces/{id}/procore-calls</c> and its health summary: what a partner sees of its proxied calls.</summary>
public sealed class ProcoreCallLogTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    private HttpClient Client => fixture.Client;

    private static string Proxy(string id, string path) => $"/api/workspaces/{id}/procore/{path}";

    [Fact]
    public async Task Calls_are_listed_newest_first_with_query_names_but_no_values_and_no_token()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var token = (await (await Client.GetAsync($"/api/workspaces/{id}/token")).ReadAsync<TokenResponse>()).AccessToken;
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync(Proxy(id, "rest/v1.0/echo/first?search=hunter2"))).StatusCode);
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync(Proxy(id, "rest/v1.0/echo/second?search=hunter2&page=3"))).StatusCode);

        JsonElement page = default;
        string text = "";
        await Wait.UntilAsync(async () =>
        {
            var response = await Client.GetAsync($"/api/workspaces/{id}/procore-calls?pageSize=10");
            text = await response.Content.ReadAsStringAsync();
            page = JsonDocument.Parse(text).RootElement;
            return page.GetProperty("calls").GetArrayLength() >= 2;
        }, "the calls to reach the call log");

        var calls = page.GetProperty("calls").EnumerateArray().ToList();
        Assert.Equal("rest/v1.0/echo/second?search=&page=", calls[0].GetProperty("path").GetString());
        Assert.Equal("rest/v1.0/echo/first?search=", calls[1].GetProperty("path").GetString());
        Assert.All(calls, c =>
        {
            Assert.Equal("GET", c.GetProperty("method").GetString());
            Assert.Equal(200, c.GetProperty("status").GetInt32());
            Assert.False(string.IsNullOrEmpty(c.GetProperty("procoreRequestId").GetString()));
            Assert.True(c.GetProperty("rateLimitRemaining").GetInt64() > 0);
        });
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        Assert.Equal(14, page.GetProperty("retentionDays").GetInt32());
    }

    [Fact]
    public async Task A_query_item_without_a_name_is_left_out_of_the_call_log()
    {
        // ?{token} is a value with no name: kept as a "name", it would be logged verbatim.
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        const string Secret = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXZhbHVl";
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync(Proxy(id, $"rest/v1.0/echo/bare?{Secret}"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync(Proxy(id, $"rest/v1.0/echo/mixed?page=2&{Secret}&per_page=5"))).StatusCode);

        var text = "";
        await Wait.UntilAsync(async () =>
        {
            text = await (await Client.GetAsync($"/api/workspaces/{id}/procore-calls?pageSize=10")).Content.ReadAsStringAsync();
            return JsonDocument.Parse(text).RootElement.GetProperty("calls").GetArrayLength() >= 2;
        }, "the calls to reach the call log");

        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        var paths = JsonDocument.Parse(text).RootElement.GetProperty("calls").EnumerateArray().Select(c => c.GetProperty("path").GetString()).ToList();
        Assert.Equal(["rest/v1.0/echo/bare", "rest/v1.0/echo/mixed?page=&per_page="], paths.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_health_summary_counts_what_integration_health_counts_with_the_fix()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        // Another company would be refused by the proxy (company_mismatch): a path Procore does not have is its 404.
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync(Proxy(id, "rest/v1.0/no-such-resource"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync(Proxy(id, "rest/v1.0/echo/ok"))).StatusCode);

        JsonElement health = default;
        await Wait.UntilAsync(async () =>
        {
            health = await (await Client.GetAsync($"/api/workspaces/{id}/procore-calls/health")).ReadJsonAsync();
            return health.GetProperty("calls").GetInt32() >= 2;
        }, "the calls to reach the call log");

        var observations = health.GetProperty("observations").EnumerateArray().ToDictionary(o => o.GetProperty("status").GetInt32());
        Assert.Equal([401, 403, 404, 429], observations.Keys.Order());
        Assert.Equal(1, observations[404].GetProperty("count").GetInt32());
        Assert.Equal(0, observations[403].GetProperty("count").GetInt32());
        Assert.Contains("webhook", observations[404].GetProperty("fix").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_partner_sees_neither_the_calls_nor_the_health_of_a_workspace()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var other = fixture.App.ClientFor("partner-b");

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/workspaces/{id}/procore-calls")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/workspaces/{id}/procore-calls/health")).StatusCode);
    }
}
