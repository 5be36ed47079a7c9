using System.Net;
using ProcoreConnect.ProcoreCalls;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.ProcoreCalls;

/// <summary>Each partner's own budget on the proxy: one partner's flood does not crowd out another's calls.</summary>
public sealed class ProcoreProxyLimitTests(ProcoreProxyLimitTests.LowLimits fixture) : IClassFixture<ProcoreProxyLimitTests.LowLimits>
{
    private const int Burst = 5;

    [Fact]
    public async Task A_partner_over_its_proxy_budget_gets_429_while_another_partners_calls_go_through()
    {
        var busy = fixture.App.ClientFor("partner-flood");
        var calm = fixture.App.ClientFor("partner-calm");
        var busyId = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register(true, 1001), "client_credentials", caller: busy);
        var calmId = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register(true, 1001), "client_credentials", caller: calm);

        // One call a second refills the bucket: a flood empties it within a few more calls than its size.
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 100 && refused is null; i++)
        {
            var response = await busy.GetAsync($"/api/workspaces/{busyId}/procore/rest/v1.0/echo/{i}");
            refused = response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        Assert.NotNull(refused);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        Assert.Contains("Procore proxy", (await refused.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var sent = fixture.Simulator.Received.Received.Count;
        Assert.Equal(HttpStatusCode.TooManyRequests, (await busy.GetAsync($"/api/workspaces/{busyId}/procore/rest/v1.0/echo/more")).StatusCode);
        Assert.Equal(sent, fixture.Simulator.Received.Received.Count);
        Assert.Equal(HttpStatusCode.OK, (await calm.GetAsync($"/api/workspaces/{calmId}/procore/rest/v1.0/echo/calm")).StatusCode);
    }

    [Fact]
    public void Defaults_are_64_in_flight_and_100_a_second_in_bursts_of_200()
    {
        var defaults = new ProcoreCallLimitOptions();
        Assert.Equal((64, 100, 200), (defaults.Concurrency, defaults.PerSecond, defaults.Burst));
    }

    /// <summary>The app with a small proxy budget per partner.</summary>
    public sealed class LowLimits : ProcoreFixture
    {
        protected override IDictionary<string, string?> ExtraSettings
        {
            get
            {
                var settings = base.ExtraSettings;
                settings["ProcoreCalls:PartnerLimit:PerSecond"] = "1";
                settings["ProcoreCalls:PartnerLimit:Burst"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return settings;
            }
        }
    }
}
