using System.Net;
using ProcoreConnect.Refresh;
using ProcoreConnect.Tests.Infrastructure;
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
