using System.Net;
using ProcoreConnect.Refresh;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tests.Refresh;

public sealed class InlineSweepFixture : ProcoreFixture
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Refresh:UseQueue"] = "false" };
}

public sealed class InlineRefreshSweepTests(InlineSweepFixture fixture) : IClassFixture<InlineSweepFixture>
{
    [Fact]
    public async Task The_timer_refreshes_what_is_due_and_reschedules_it()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await fixture.ConnectedWorkspaceAsync(fixture.Simulator.Register()));
        }

        var sweeper = fixture.App.Service<RefreshSweeper>();
        var workspaces = fixture.App.Service<WorkspaceRepository>();
        var notYet = await sweeper.SweepAsync(default);
        Assert.Equal(0, notYet.Refreshed);

        fixture.Clock.Advance(TimeSpan.FromMinutes(81)); // past due (expiry 90 min - lead 10 min)
        var before = await fixture.Simulator.StatsAsync();
        var dueBefore = await Task.WhenAll(ids.Select(async id => (await workspaces.FindAsync(id, default))!.RefreshDueAt));

        // Invoked as the Functions host does it.
        var response = await fixture.Client.PostAsync("/RefreshTokens", Json.Raw("""{"Data":{"timer":{"IsPastDue":false}},"Metadata":{}}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var after = await fixture.Simulator.StatsAsync();
        Assert.True(after.RefreshTokenGrants - before.RefreshTokenGrants >= ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            var workspace = (await workspaces.FindAsync(ids[i], default))!;
            Assert.True(workspace.RefreshDueAt > dueBefore[i]);
            Assert.True(workspace.RefreshDueAt > fixture.Clock.GetUtcNow());
        }

        await IndexedOnceAtTheirDueTimeAsync(fixture, ids);
        var again = await sweeper.SweepAsync(default);
        Assert.Equal(0, again.Refreshed);
    }

    /// <summary>Each workspace's old entry is gone and its new one is there: one entry each, at the row's due time.</summary>
    internal static async Task IndexedOnceAtTheirDueTimeAsync(ProcoreFixture fixture, IReadOnlyCollection<string> ids)
    {
        var entries = (await fixture.App.Service<RefreshDueIndex>().DueAsync(fixture.Clock.GetUtcNow().AddDays(1), 10_000, default))
            .Where(e => ids.Contains(e.WorkspaceId))
            .ToList();
        var rows = await Task.WhenAll(ids.Select(async id => (await fixture.App.Service<WorkspaceRepository>().FindAsync(id, default))!));
        Assert.Equal(
            rows.Select(w => new DueRefresh(w.Id, w.RefreshDueAt!.Value)).OrderBy(e => e.WorkspaceId),
            entries.OrderBy(e => e.WorkspaceId));
    }

    [Fact]
    public async Task Entries_of_workspaces_that_cannot_be_refreshed_are_dropped()
    {
        var client = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(client);
        fixture.Simulator.State.RevokeClient(client.ClientId);
        fixture.Clock.Advance(TimeSpan.FromMinutes(81));

        await fixture.App.Service<RefreshSweeper>().SweepAsync(default);

        var workspace = (await fixture.App.Service<WorkspaceRepository>().FindAsync(id, default))!;
        Assert.Equal(WorkspaceStatus.NeedsReauthorization, workspace.Status);
        var due = await fixture.App.Service<RefreshDueIndex>().DueAsync(fixture.Clock.GetUtcNow().AddDays(1), 10_000, default);
        Assert.DoesNotContain(due, d => d.WorkspaceId == id);
    }
}

public sealed class QueuedRefreshTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    [Fact]
    public async Task The_timer_enqueues_due_workspaces_and_the_queue_function_refreshes_them()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await fixture.ConnectedWorkspaceAsync(fixture.Simulator.Register()));
        }

        fixture.Clock.Advance(TimeSpan.FromMinutes(81));
        var summary = await fixture.App.Service<RefreshSweeper>().SweepAsync(default);
        Assert.True(summary.Enqueued >= ids.Count);
        Assert.True(await fixture.App.Service<RefreshQueueClient>().CountAsync(default) >= ids.Count);

        var before = await fixture.Simulator.StatsAsync();
        var drained = 0;
        for (int batch; (batch = await fixture.App.Service<LocalQueueWorker>().DrainOnceAsync(default)) > 0;)
        {
            drained += batch;
        }

        Assert.True(drained >= ids.Count);
        Assert.True((await fixture.Simulator.StatsAsync()).RefreshTokenGrants - before.RefreshTokenGrants >= ids.Count);
        Assert.Equal(0, await fixture.App.Service<RefreshQueueClient>().CountAsync(default));
        await InlineRefreshSweepTests.IndexedOnceAtTheirDueTimeAsync(fixture, ids);
    }

    [Fact]
    public async Task The_hosts_queue_payload_refreshes_one_workspace()
    {
        var id = await fixture.ConnectedWorkspaceAsync(fixture.Simulator.Register());
        fixture.Clock.Advance(TimeSpan.FromMinutes(81));
        var before = (await fixture.App.Service<WorkspaceRepository>().FindAsync(id, default))!;

        var payload = $$$"""{"Data":{"msg":"{\"workspaceId\":\"{{{id}}}\"}"},"Metadata":{"DequeueCount":1}}""";
        var response = await fixture.Client.PostAsync("/RefreshWorkspace", Json.Raw(payload));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("RefreshWorkspace completed", (await response.ReadJsonAsync()).GetProperty("Logs")[0].GetString());
        Assert.NotEqual(before.Tokens, (await fixture.App.Service<WorkspaceRepository>().FindAsync(id, default))!.Tokens);
    }

    [Theory]
    [InlineData("""{"Data":{"msg":"not json"},"Metadata":{}}""", HttpStatusCode.OK)]
    [InlineData("""{"Data":{"msg":{"workspaceId":"NOT VALID"}},"Metadata":{}}""", HttpStatusCode.OK)]
    [InlineData("""{"Data":{},"Metadata":{}}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"Data":""", HttpStatusCode.BadRequest)]
    public async Task Malformed_queue_invocations_are_completed_or_refused_never_crash(string payload, HttpStatusCode expected)
    {
        var response = await fixture.Client.PostAsync("/RefreshWorkspace", Json.Raw(payload));
        Assert.Equal(expected, response.StatusCode);
    }
}
