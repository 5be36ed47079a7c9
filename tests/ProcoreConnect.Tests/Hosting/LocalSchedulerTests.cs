using Microsoft.Extensions.Hosting;
using ProcoreConnect.Hosting;
using ProcoreConnect.Extensions;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Hosting;

public sealed class LocalSchedulerTests
{
    [Fact]
    public async Task Run_on_its_own_the_app_fires_the_timer_handlers_on_their_configured_schedules()
    {
        var clock = new TestClock(DateTimeOffset.UtcNow);
        using var app = AppFactory.With(new Dictionary<string, string?>
        {
            ["Scheduler:Enabled"] = "true",
            ["Schedules:RefreshTokens"] = "* * * * * *",
            ["Schedules:PurgeDeletedWorkspaces"] = "*/2 * * * * *",
            ["Schedules:CheckConnections"] = "0 0 0 1 1 *",
        }).WithServices(s => s.AddSingleton<TimeProvider>(clock));
        app.CreateClient();

        // Each check moves the clock a second on, so every schedule comes round without real waiting.
        await Wait.UntilAsync(
            () =>
            {
                clock.Advance(TimeSpan.FromSeconds(1));
                return Fired(app, "RefreshTokens") >= 2 && Fired(app, "PurgeDeletedWorkspaces") >= 1;
            },
            "RefreshTokens to fire twice and PurgeDeletedWorkspaces once");

        Assert.True(Fired(app, "RefreshTokens") >= 2);
        Assert.True(Fired(app, "PurgeDeletedWorkspaces") >= 1);
        Assert.Equal(0, Fired(app, "CheckConnections"));
        Assert.Contains(app.Logs.Lines, l => l.Contains("Refresh sweep enqueued", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Under_the_functions_host_the_local_scheduler_stays_idle()
    {
        using var app = AppFactory.With(new Dictionary<string, string?>
        {
            ["Scheduler:Enabled"] = "true",
            ["Schedules:RefreshTokens"] = "* * * * * *",
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "45679",
        });
        app.CreateClient();

        // A scheduler that stays idle finishes its work at once; one that runs never does.
        var scheduler = app.Services.GetServices<IHostedService>().OfType<LocalTimerScheduler>().Single();
        await Wait.UntilAsync(() => scheduler.ExecuteTask is { IsCompleted: true }, "the local scheduler to finish (stay idle) under the functions host", TimeSpan.FromSeconds(30));
        Assert.Equal(0, Fired(app, "RefreshTokens"));
    }

    private static int Fired(AppFactory app, string function) =>
        app.Logs.Lines.Count(l => l.Contains($"Local scheduler firing {function}", StringComparison.Ordinal));
}
