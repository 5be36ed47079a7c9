using System.Globalization;
using System.Net;
using System.Text.Json;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreSimulator.State;

namespace ProcoreConnect.Tests.ProcoreCalls;

/// <summary>Two companies' workspaces on one client-credentials (DMSA) token, through the proxy: one bulk sync cannot starve the other.</summary>
public sealed class ProcoreFairShareProxyTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    private HttpClient Client => fixture.Client;

    private static string Proxy(string id, string path) => $"/api/workspaces/{id}/procore/{path}";

    [Fact]
    public async Task A_bulk_sync_that_used_its_share_waits_at_the_reserve_while_the_other_company_goes_on_to_zero()
    {
        var app = fixture.Simulator.Register(true, 1001, 1002);
        var bulk = await fixture.CreateWorkspaceAsync(app, "client_credentials", companyId: 1001);
        var other = await fixture.CreateWorkspaceAsync(app, "client_credentials", companyId: 1002);
        Assert.Equal(await TokenAsync(bulk), await TokenAsync(other));
        // 20 calls an hour for the shared token: a reserve of 4 (20%), a share of 10 each.
        fixture.Simulator.State.SetFaults(new SimulatorFaults { RateLimitPerHour = 20, SpikeLimitPer10Seconds = 1_000_000 });
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync(Proxy(other, "rest/v1.0/echo/first"))).StatusCode);

            var (sent, stopped) = await CallUntilRefusedAsync(bulk);

            Assert.Equal(4, sent[^1]); // the last call that went out left the reserve, no more
            Assert.Equal(HttpStatusCode.TooManyRequests, stopped.StatusCode);
            var problem = await stopped.ReadJsonAsync();
            Assert.Equal("procore_fair_share", problem.GetProperty("code").GetString());
            Assert.Contains($"'{bulk}'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.True(stopped.Headers.RetryAfter?.Delta > TimeSpan.FromSeconds(10), "Retry-After should run to the hourly window's reset.");

            var (otherSent, otherStopped) = await CallUntilRefusedAsync(other);

            Assert.Equal([3, 2, 1, 0], otherSent);
            Assert.Equal("procore_rate_limited", (await otherStopped.ReadJsonAsync()).GetProperty("code").GetString());
            await FairShareRefusalIsLoggedAsync(bulk);
        }
        finally
        {
            fixture.Simulator.State.SetFaults(new SimulatorFaults());
        }
    }

    private async Task<string> TokenAsync(string id) =>
        (await (await Client.GetAsync($"/api/workspaces/{id}/token")).ReadAsync<ProcoreConnect.Tokens.TokenResponse>()).AccessToken;

    // Calls through the proxy until the service answers 429 itself: what Procore said was left after each call, and the refusal.
    private async Task<(List<int> Remaining, HttpResponseMessage Refused)> CallUntilRefusedAsync(string id)
    {
        var remaining = new List<int>();
        for (var i = 0; i < 40; i++)
        {
            var before = (await fixture.Simulator.StatsAsync()).ApiRequests;
            var response = await Client.GetAsync(Proxy(id, $"rest/v1.0/echo/{i}"));
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Assert.Equal(before, (await fixture.Simulator.StatsAsync()).ApiRequests);
                return (remaining, response);
            }

            remaining.Add(int.Parse(response.Headers.GetValues("X-Rate-Limit-Remaining").Single(), CultureInfo.InvariantCulture));
        }

        throw new Xunit.Sdk.XunitException($"40 calls of workspace '{id}' went out; Procore said {string.Join(", ", remaining)} were left.");
    }

    private async Task FairShareRefusalIsLoggedAsync(string id)
    {
        JsonElement calls = default;
        await Wait.UntilAsync(async () =>
        {
            calls = (await (await Client.GetAsync($"/api/workspaces/{id}/procore-calls?pageSize=100")).ReadJsonAsync()).GetProperty("calls");
            return calls.EnumerateArray().Any(c => c.GetProperty("status").GetInt32() == 429);
        }, "the fair-share refusal to reach the call log");

        Assert.Contains(calls.EnumerateArray(), c => c.GetProperty("status").GetInt32() == 429 && c.GetProperty("answeredLocally").GetBoolean());
    }
}
