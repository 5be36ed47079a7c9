using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using ProcoreConnect.Telemetry;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Telemetry;

public sealed class TelemetryTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    [Fact]
    public async Task Refreshes_their_token_age_and_callback_outcomes_are_measured()
    {
        var meters = fixture.App.Service<IMeterFactory>();
        using var refreshes = new MetricCollector<long>(meters, ConnectTelemetry.Name, "procore_connect.refreshes");
        using var ages = new MetricCollector<double>(meters, ConnectTelemetry.Name, "procore_connect.token_age_at_refresh");
        using var callbacks = new MetricCollector<long>(meters, ConnectTelemetry.Name, "procore_connect.callbacks");

        var id = await fixture.ConnectedWorkspaceAsync(fixture.Simulator.Register());
        await fixture.Client.GetAsync("/api/oauth/callback?state=forged&code=x");
        fixture.Clock.Advance(TimeSpan.FromMinutes(85));
        (await fixture.Client.GetAsync($"/api/workspaces/{id}/token")).EnsureSuccessStatusCode();

        var refresh = Assert.Single(refreshes.GetMeasurementSnapshot());
        Assert.Equal("succeeded", refresh.Tags["outcome"]);
        Assert.Equal("authorization_code", refresh.Tags["auth_flow"]);
        Assert.Equal(85 * 60, Assert.Single(ages.GetMeasurementSnapshot()).Value, precision: 0);
        var outcomes = callbacks.GetMeasurementSnapshot().Select(m => m.Tags["outcome"]).ToList();
        Assert.Contains("connected", outcomes);
        Assert.Contains("invalid_state", outcomes);
    }
}
