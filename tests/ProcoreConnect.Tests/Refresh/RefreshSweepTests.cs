using System.Net;
using ProcoreConnect.Refresh;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Tokens;
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
        var ids = await InlineRefreshSweepTests.ConnectedAsync(fixture, 3);

        var sweeper = fixture.App.Service<RefreshSweeper>();
        var workspaces = fixture.App.Service<WorkspaceRepository>();
        var notYet = await sweeper.SweepAsync(default);
        Assert.Equal(0, notYet.Refreshed);

        fixture.Clock.Advance(TimeSpan.FromMinutes(81)); // past due (expiry 90 min - lead 10 min)
        var before = await fixture.Simulator.StatsAsync();
        var dueBefore = await Task.WhenAll(ids.Select(async id => (await workspaces.FindAsync(id, default))!.RefreshDueAt));

        // Invoked as the Functions host does it.
        var response = await fixture.Client.InvokeAsAdminAsync("RefreshTokens", """{"Data":{"timer":{"IsPastDue":false}},"Metadata":{}}""");
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

    /// <summary>Connected workspaces, each with a Procore app of its own.</summary>
    internal static async Task<List<string>> ConnectedAsync(ProcoreFixture fixture, int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(await fixture.ConnectedWorkspaceAsync(fixture.Simulator.Register()));
        }

        return ids;
    }

    /// <summary>Each workspace's old entry is gone and its new one is there: one entry each, at the row's due time.</summary>
    internal static async Task IndexedOnceAtTheirDueTimeAsync(ProcoreFixture fixture, IReadOnlyCollection<string> ids)
    {
        var entries = (await fixture.App.Service<RefreshDueIndex>().DueAsync(fixture.Clock.GetUtcNow().AddDays(1), 10_000, default))
            .Where(e => ids.Any(e.IsFor))
            .ToList();
        var rows = await Task.WhenAll(ids.Select(async id => (await fixture.App.Service<WorkspaceRepository>().FindAsync(id, default))!));
        Assert.Equal(
            rows.Select(w => (DueRefresh)w.Due()).OrderBy(e => e.Subject, StringComparer.Ordinal),
            entries.OrderBy(e => e.Subject, StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_workspace_whose_lease_another_instance_holds_is_left_to_it_and_the_rest_are_refreshed()
    {
        var ids = await InlineRefreshSweepTests.ConnectedAsync(fixture, 4);

        var workspaces = fixture.App.Service<WorkspaceRepository>();
        var before = await Task.WhenAll(ids.Select(async id => (await workspaces.FindAsync(id, default))!.Tokens));
        fixture.Clock.Advance(TimeSpan.FromMinutes(81));
        var leases = fixture.App.Service<RefreshLeaseStore>();
        var held = (await workspaces.FindAsync(ids[1], default))!.Key;
        var elsewhere = (await leases.TryAcquireAsync(held, "another-instance", default))!;

        var summary = await fixture.App.Service<RefreshSweeper>().SweepAsync(default);

        var after = await Task.WhenAll(ids.Select(async id => (await workspaces.FindAsync(id, default))!.Tokens));
        Assert.True(summary.Skipped >= 1);
        Assert.Equal(before[1], after[1]);
        Assert.All([0, 2, 3], i => Assert.NotEqual(before[i], after[i]));
        Assert.Null(await leases.TryAcquireAsync(held, "a-third", default)); // the sweep released only its own

        await leases.ReleaseAsync(elsewhere, default);
        await fixture.App.Service<RefreshSweeper>().SweepAsync(default);
        Assert.NotEqual(before[1], (await workspaces.FindAsync(ids[1], default))!.Tokens);
        await IndexedOnceAtTheirDueTimeAsync(fixture, ids);
    }

    [Fact]
    public async Task A_batch_lease_with_less_than_half_its_time_left_is_not_trusted_with_a_refresh()
    {
        var id = await fixture.ConnectedWorkspaceAsync(fixture.Simulator.Register());
        fixture.Clock.Advance(TimeSpan.FromMinutes(81));
        var entry = (await fixture.App.Service<WorkspaceRepository>().FindAsync(id, default))!.Due();
        var leases = fixture.App.Service<RefreshLeaseStore>();
        var refresher = fixture.App.Service<DueEntryRefresher>();
        var lookup = fixture.App.Service<ProcoreConnect.Clients.OAuthClientRepository>().Lookup();
        var lease = (await leases.TryAcquireAllAsync([entry.Subject], "sweep", default))[entry.Subject];
        var before = await fixture.Simulator.StatsAsync();

        fixture.Clock.Advance(TimeSpan.FromSeconds(31)); // the lease lasts 60 s
        Assert.Equal(RefreshResult.Skipped, await refresher.RefreshAsync(entry, lease, lookup, new DueIndexBatch(), default));
        Assert.Equal(before.RefreshTokenGrants, (await fixture.Simulator.StatsAsync()).RefreshTokenGrants);

        await leases.ReleaseAllAsync([lease], default);
        var fresh = (await leases.TryAcquireAllAsync([entry.Subject], "sweep", default))[entry.Subject];
        var batch = new DueIndexBatch();
        Assert.Equal(RefreshResult.Refreshed, await refresher.RefreshAsync(entry, fresh, lookup, batch, default));
        await fixture.App.Service<RefreshDueIndex>().WriteAsync(batch, [entry], default);
        await leases.ReleaseAllAsync([fresh], default);

        // The clock is shared by this class's tests: leave nothing due behind (and the old entry removed).
        await fixture.App.Service<RefreshSweeper>().SweepAsync(default);
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
        Assert.DoesNotContain(due, d => d.IsFor(id));
    }
}

public sealed class QueuedRefreshTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    [Fact]
    public async Task The_timer_enqueues_due_workspaces_and_the_queue_function_refreshes_them()
    {
        var ids = await InlineRefreshSweepTests.ConnectedAsync(fixture, 3);

        fixture.Clock.Advance(TimeSpan.FromMinutes(81));
        var summary = await fixture.App.Service<RefreshSweeper>().SweepAsync(default);
        Assert.True(summary.Enqueued >= ids.Count);
        var messages = await fixture.App.Service<RefreshQueueClient>().CountAsync(default);
        Assert.InRange(messages, 1, (summary.Enqueued + 31) / 32); // a message per 32 entries, not per entry

        var before = await fixture.Simulator.StatsAsync();
        var drained = await fixture.App.Service<LocalQueueWorker>().DrainAsync(default);

        Assert.True(drained >= messages);
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

        // As the host sends it: the message text as a JSON string inside Data.msg.
        var message = RefreshQueueClient.MessageText(before.Due());
        var payload = System.Text.Json.JsonSerializer.Serialize(new { Data = new { msg = message }, Metadata = new { DequeueCount = "1" } });
        var response = await fixture.Client.InvokeAsAdminAsync("RefreshWorkspace", payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("RefreshWorkspace completed", (await response.ReadJsonAsync()).GetProperty("Logs")[0].GetString());
        Assert.NotEqual(before.Tokens, (await fixture.App.Service<WorkspaceRepository>().FindAsync(id, default))!.Tokens);
    }

    [Theory]
    [InlineData("""{"Data":{"msg":"not json"},"Metadata":{}}""", HttpStatusCode.OK)]
    [InlineData("""{"Data":{"msg":{"kind":"workspace","partnerId":"partner-a","workspaceId":"NOT VALID","workspaceKey":"x"}},"Metadata":{}}""", HttpStatusCode.OK)]
    [InlineData("""{"Data":{"msg":{"kind":"client_token","clientOwner":"p","clientName":"c","environment":"mars"}},"Metadata":{}}""", HttpStatusCode.OK)]
    [InlineData("""{"Data":{},"Metadata":{}}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"Data":""", HttpStatusCode.BadRequest)]
    public async Task Malformed_queue_invocations_are_completed_or_refused_never_crash(string payload, HttpStatusCode expected)
    {
        var response = await fixture.Client.InvokeAsAdminAsync("RefreshWorkspace", payload);
        Assert.Equal(expected, response.StatusCode);
    }
}
