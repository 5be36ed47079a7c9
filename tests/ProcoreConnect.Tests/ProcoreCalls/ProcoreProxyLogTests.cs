using System.Net;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.ProcoreCalls;

/// <summary>What the app's logs keep of a proxied call's query, with configuration asking for every level.</summary>
public sealed class ProcoreProxyLogTests(ProcoreProxyLogTests.LoudLogs fixture) : IClassFixture<ProcoreProxyLogTests.LoudLogs>
{
    [Fact]
    public async Task No_log_record_at_any_level_carries_a_proxied_calls_query_values()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var value = "qv" + Guid.NewGuid().ToString("N");
        var bare = "bare" + Guid.NewGuid().ToString("N");

        var response = await fixture.Client.GetAsync($"/api/workspaces/{id}/procore/rest/v1.0/echo/x?search={value}&{bare}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The levels really were lowered: the app's own categories and ASP.NET Core's wrote below Information.
        Assert.Contains(fixture.App.Logs.Lines, l => l.StartsWith("Debug Microsoft.AspNetCore.", StringComparison.Ordinal) || l.StartsWith("Trace Microsoft.AspNetCore.", StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.App.Logs.Lines, l => l.Contains(value, StringComparison.Ordinal) || l.Contains(bare, StringComparison.Ordinal));
    }

    /// <summary>The app with configuration asking every category, YARP's and ASP.NET Core's hosting log by name included, for Trace.</summary>
    public sealed class LoudLogs : ProcoreFixture
    {
        protected override IDictionary<string, string?> ExtraSettings
        {
            get
            {
                var settings = base.ExtraSettings;
                settings["Logging:LogLevel:Default"] = "Trace";
                settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace";
                settings["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Trace";
                settings["Logging:LogLevel:Yarp"] = "Trace";
                settings["Logging:LogLevel:Yarp.ReverseProxy.Forwarder.HttpForwarder"] = "Trace";
                settings["Logging:LogLevel:Yarp.ReverseProxy.Forwarder.HttpForwarder*"] = "Trace";
                settings[$"Logging:{typeof(CapturedLogs).FullName}:LogLevel:Default"] = "Trace";
                settings[$"Logging:{typeof(CapturedLogs).FullName}:LogLevel:Yarp.ReverseProxy.Forwarder.HttpForwarder"] = "Trace";
                return settings;
            }
        }
    }
}
