using System.Net;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreSimulator.State;

namespace ProcoreConnect.Tests.ProcoreCalls;

/// <summary>A call the forwarder failed names YARP's error in the call log, for operators and partners alike.</summary>
public sealed class ProcoreCallErrorTests(ProcoreCallErrorTests.SlowProcoreFixture fixture) : IClassFixture<ProcoreCallErrorTests.SlowProcoreFixture>
{
    /// <summary>The proxy gives Procore one second of silence.</summary>
    public sealed class SlowProcoreFixture : ProcoreFixture
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(base.ExtraSettings)
        {
            ["ProcoreCalls:ActivityTimeout"] = "00:00:01",
        };
    }

    [Fact]
    public async Task A_call_procore_did_not_answer_in_time_is_logged_with_the_forwarders_error()
    {
        var id = await fixture.ConnectedWorkspaceAsync(fixture.Simulator.Register());
        fixture.Simulator.State.SetFaults(new SimulatorFaults { ApiLatencyMs = 5_000 });
        try
        {
            Assert.Equal(HttpStatusCode.GatewayTimeout, (await fixture.Client.GetAsync($"/api/workspaces/{id}/procore/rest/v1.0/echo/slow")).StatusCode);
        }
        finally
        {
            fixture.Simulator.State.SetFaults(new SimulatorFaults());
        }

        var page = await (await fixture.Client.GetAsync($"/api/workspaces/{id}/procore-calls")).ReadJsonAsync();
        var call = Assert.Single(page.GetProperty("calls").EnumerateArray());
        Assert.Equal(504, call.GetProperty("status").GetInt32());
        Assert.Equal("RequestTimedOut", call.GetProperty("error").GetString());
    }
}
