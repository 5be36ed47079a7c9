using System.Net;
using ProcoreConnect.Refresh;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tests.Refresh;

/// <summary>A workspace refreshed twice within one second keeps exactly one due entry, its row's.</summary>
public sealed class DueIndexSameSecondTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    [Fact]
    public async Task Connecting_and_refreshing_in_the_same_second_leaves_the_rows_entry_in_the_index()
    {
        // Mid-second, so that a refresh 300 ms later falls in the same second.
        var now = fixture.Clock.GetUtcNow();
        fixture.Clock.Advance(TimeSpan.FromMilliseconds(1400 - now.Millisecond));
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var connected = (await fixture.App.Service<WorkspaceRepository>().FindAsync(id, default))!;

        // A rotation right after the connect proves the new secret with a refresh: a second due time, the same second.
        fixture.Clock.Advance(TimeSpan.FromMilliseconds(300));
        var rotated = app with { ClientSecret = Connections.NewSecret() };
        fixture.Simulator.State.Register(rotated);
        var response = await fixture.Client.PutAsync($"/api/oauth-clients/{connected.Client.Name}/secret", Json.Body(new { clientSecret = rotated.ClientSecret }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var refreshed = (await fixture.App.Service<WorkspaceRepository>().FindAsync(id, default))!;
        Assert.NotEqual(connected.RefreshDueAt, refreshed.RefreshDueAt);
        Assert.Equal(connected.RefreshDueAt!.Value.ToUnixTimeSeconds(), refreshed.RefreshDueAt!.Value.ToUnixTimeSeconds());
        var entries = (await fixture.App.Service<RefreshDueIndex>().DueAsync(refreshed.RefreshDueAt.Value.AddMinutes(1), 100_000, default)).Where(e => e.IsFor(id));
        Assert.Equal([(DueRefresh)refreshed.Due()], entries);
    }
}

public sealed class SweepDuringProcoreFailureTests(InlineSweepFixture fixture) : IClassFixture<InlineSweepFixture>
{
    [Fact]
    public async Task A_sweep_that_meets_a_failing_procore_keeps_the_entry_and_backs_off()
    {
        var id = await fixture.ConnectedWorkspaceAsync(fixture.Simulator.Register());
        var workspaces = fixture.App.Service<WorkspaceRepository>();
        var index = fixture.App.Service<RefreshDueIndex>();
        var before = (await workspaces.FindAsync(id, default))!;
        fixture.Clock.Advance(TimeSpan.FromMinutes(81)); // due, and the access token still valid for 9 minutes
        fixture.Simulator.State.SetFaults(new ProcoreSimulator.State.SimulatorFaults { TokenFailures = [503] });

        await fixture.App.Service<RefreshSweeper>().SweepAsync(default);

        var after = (await workspaces.FindAsync(id, default))!;
        Assert.Equal(before.Tokens, after.Tokens);
        Assert.True(await index.ContainsAsync(after.Due(), default), "the failed refresh's entry must stay for the next sweep");
        Assert.Equal(1, after.Health.Failures);
        Assert.Equal(fixture.Clock.GetUtcNow().AddSeconds(30), after.Health.RetryAt);

        // Within the back-off the next sweep sends nothing to Procore; after it, the refresh goes through.
        var stats = await fixture.Simulator.StatsAsync();
        await fixture.App.Service<RefreshSweeper>().SweepAsync(default);
        var unchanged = await fixture.Simulator.StatsAsync();
        Assert.Equal((stats.RefreshTokenGrants, stats.FailedTokenRequests), (unchanged.RefreshTokenGrants, unchanged.FailedTokenRequests));
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        await fixture.App.Service<RefreshSweeper>().SweepAsync(default);
        var refreshed = (await workspaces.FindAsync(id, default))!;
        Assert.NotEqual(before.Tokens, refreshed.Tokens);
        Assert.Equal(0, refreshed.Health.Failures);
        Assert.True(await index.ContainsAsync(refreshed.Due(), default));
    }
}
