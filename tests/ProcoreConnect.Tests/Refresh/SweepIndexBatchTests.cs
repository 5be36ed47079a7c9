using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Mvc.Testing;
using ProcoreConnect.Refresh;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tests.Refresh;

/// <summary>The inline sweep, with every table request counted by table and method.</summary>
public sealed class CountingSweepFixture : ProcoreFixture
{
    public TableRequests Requests { get; } = new();

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Refresh:UseQueue"] = "false" };

    protected override HttpClient Start(AppFactory app)
    {
        var options = new TableClientOptions();
        options.AddPolicy(Requests, HttpPipelinePosition.PerCall);
        app.WithServices(s => s.AddSingleton(new TableServiceClient(Azurite.Instance.ConnectionString, options)));
        return app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
    }
}

/// <summary>Counts single-entity table requests by "table method" (a transaction counts as "$batch POST").</summary>
public sealed class TableRequests : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentDictionary<string, int> _counts = new();

    public int Of(string table, string method) =>
        _counts.Where(c => c.Key.EndsWith($"{table} {method}", StringComparison.Ordinal)).Sum(c => c.Value);

    public void Clear() => _counts.Clear();

    public override void OnSendingRequest(HttpMessage message)
    {
        var table = message.Request.Uri.Path.Split('/', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1)?.Split('(')[0] ?? "?";
        _counts.AddOrUpdate($"{table} {message.Request.Method}", 1, (_, n) => n + 1);
    }
}

public sealed class SweepIndexBatchTests(CountingSweepFixture fixture) : IClassFixture<CountingSweepFixture>
{
    [Fact]
    public async Task The_sweep_writes_the_index_a_transaction_per_batch_and_each_row_once()
    {
        var client = fixture.Simulator.Register();
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add(await fixture.ConnectedWorkspaceAsync(client));
        }

        fixture.Clock.Advance(TimeSpan.FromMinutes(81));
        fixture.Requests.Clear();
        var summary = await fixture.App.Service<RefreshSweeper>().SweepAsync(default);

        Assert.True(summary.Refreshed >= ids.Count);
        Assert.Equal(0, fixture.Requests.Of("RefreshIndex", "PUT"));
        Assert.Equal(0, fixture.Requests.Of("RefreshIndex", "DELETE"));
        Assert.Equal(0, fixture.Requests.Of("Leases", "PUT") + fixture.Requests.Of("Leases", "POST") + fixture.Requests.Of("Leases", "DELETE"));
        Assert.Equal(summary.Refreshed, fixture.Requests.Of("Workspaces", "GET"));
        Assert.Equal(summary.Refreshed, fixture.Requests.Of("Workspaces", "PUT"));
        await InlineRefreshSweepTests.IndexedOnceAtTheirDueTimeAsync(fixture, ids);
    }

    [Fact]
    public async Task A_batch_lost_between_its_row_writes_and_its_index_write_is_repaired_by_the_next_sweep()
    {
        var ids = await InlineRefreshSweepTests.ConnectedAsync(fixture, 3);
        fixture.Clock.Advance(TimeSpan.FromMinutes(81));
        var workspaces = fixture.App.Service<WorkspaceRepository>();
        var lost = (await workspaces.FindAsync(ids[0], default))!.Due();

        // Refreshed under a batch lease whose index write never happens (the instance died).
        var leases = fixture.App.Service<RefreshLeaseStore>();
        var lease = (await leases.TryAcquireAllAsync([lost.Subject], "dying-instance", default))[lost.Subject];
        var lookup = fixture.App.Service<ProcoreConnect.Clients.OAuthClientRepository>().Lookup();
        Assert.Equal(RefreshResult.Refreshed, await fixture.App.Service<DueEntryRefresher>().RefreshAsync(lost, lease, lookup, new DueIndexBatch(), default));
        await leases.ReleaseAllAsync([lease], default);
        var index = fixture.App.Service<RefreshDueIndex>();
        var refreshed = (await workspaces.FindAsync(ids[0], default))!;
        Assert.True(await index.ContainsAsync(lost, default));
        Assert.False(await index.ContainsAsync(refreshed.Due(), default));

        await fixture.App.Service<RefreshSweeper>().SweepAsync(default);

        Assert.Equal(refreshed.Tokens, (await workspaces.FindAsync(ids[0], default))!.Tokens);
        await InlineRefreshSweepTests.IndexedOnceAtTheirDueTimeAsync(fixture, ids);

        // And it is swept again when it is next due.
        fixture.Clock.Advance(TimeSpan.FromMinutes(81));
        await fixture.App.Service<RefreshSweeper>().SweepAsync(default);
        Assert.NotEqual(refreshed.Tokens, (await workspaces.FindAsync(ids[0], default))!.Tokens);
        await InlineRefreshSweepTests.IndexedOnceAtTheirDueTimeAsync(fixture, ids);
    }
}
