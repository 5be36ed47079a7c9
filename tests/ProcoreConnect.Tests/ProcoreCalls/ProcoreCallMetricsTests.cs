using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using ProcoreConnect.ProcoreCalls;
using ProcoreConnect.Telemetry;

namespace ProcoreConnect.Tests.ProcoreCalls;

/// <summary>The proxy's metrics have series one partner cannot multiply: as many workspaces as it likes make no new one.</summary>
public sealed class ProcoreCallMetricsTests
{
    [Fact]
    public void A_partners_thousands_of_workspaces_make_one_series_per_status_class_and_another_partner_keeps_its_own()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var metrics = new ProcoreCallMetrics(factory);
        using var calls = new MetricCollector<long>(factory, ConnectTelemetry.Name, "procore_connect.procore_calls");

        for (var i = 0; i < 2_050; i++)
        {
            metrics.Called(Call("partner-a", $"ws-{i}", 200));
        }

        metrics.Called(Call("partner-b", "b-hq", 200));
        metrics.Called(Call("partner-b", "b-hq", 404));

        var series = calls.GetMeasurementSnapshot()
            .Select(m => string.Join(",", m.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}")))
            .Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["partner=partner-a,status_class=2xx", "partner=partner-b,status_class=2xx", "partner=partner-b,status_class=4xx"], series);
    }

    private static ProcoreCallEntry Call(string partner, string workspace, int status) => new()
    {
        PartnerId = partner, WorkspaceId = workspace, WorkspaceKey = workspace + "-0123456789abcdef", At = DateTimeOffset.UnixEpoch,
        Method = "GET", Path = "rest/v1.0/me", Status = status, DurationMs = 1,
    };
}
