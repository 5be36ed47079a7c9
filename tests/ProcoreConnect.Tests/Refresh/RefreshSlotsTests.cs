using System.Net;
using ProcoreConnect.Procore;
using ProcoreConnect.Refresh;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tests.Refresh;

/// <summary>The app with two refreshes per instance, and token requests to Procore that take a second and are counted.</summary>
public sealed class TwoSlotsFixture : ProcoreFixture
{
    public ConcurrentRequests Requests { get; } = new();

    protected override IDictionary<string, string?> ExtraSettings
    {
        get
        {
            var settings = base.ExtraSettings;
            settings["Refresh:MaxConcurrency"] = "2";
            return settings;
        }
    }

    protected override HttpClient Start(AppFactory app)
    {
        app.WithServices(s => s.AddHttpClient<ProcoreOAuthClient>().AddHttpMessageHandler(() => new Counting(Requests)));
        return base.Start(app);
    }

    private sealed class Counting(ConcurrentRequests requests) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            using var _ = requests.Enter();
            // Long enough that the refreshes of two messages run into each other unless something holds them apart.
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            return await base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>Requests in flight, and the most there were at once.</summary>
public sealed class ConcurrentRequests
{
    private int _now;
    private int _most;
    private int _total;

    public int Most => Volatile.Read(ref _most);

    public int Total => Volatile.Read(ref _total);

    public void Reset() => (_most, _total) = (0, 0);

    public IDisposable Enter()
    {
        var now = Interlocked.Increment(ref _now);
        Interlocked.Increment(ref _total);
        for (var most = Most; now > most && Interlocked.CompareExchange(ref _most, now, most) != most; most = Most)
        {
        }

        return new Exit(this);
    }

    private sealed class Exit(ConcurrentRequests requests) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref requests._now);
    }
}

/// <summary>
/// The queue messages an instance of the host runs at once (host.json: batchSize + newBatchThreshold)
/// share Refresh:MaxConcurrency, as the local queue worker's do: the setting is refreshes per
/// instance, not per message.
/// </summary>
public sealed class RefreshSlotsTests(TwoSlotsFixture fixture) : IClassFixture<TwoSlotsFixture>
{
    [Fact]
    public async Task Two_messages_invoked_at_once_by_the_host_run_no_more_refreshes_together_than_the_instance_allows()
    {
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await fixture.ConnectedWorkspaceAsync(fixture.Simulator.Register()));
        }

        fixture.Clock.Advance(TimeSpan.FromMinutes(81));
        var workspaces = fixture.App.Service<WorkspaceRepository>();
        var due = new List<DueRefresh>();
        foreach (var id in ids)
        {
            due.Add((await workspaces.FindAsync(id, default))!.Due());
        }

        fixture.Requests.Reset();
        var invocations = due.Chunk(2).Select(entries =>
        {
            var payload = System.Text.Json.JsonSerializer.Serialize(new { Data = new { msg = RefreshQueueClient.MessageText(entries) }, Metadata = new { DequeueCount = "1" } });
            return fixture.Client.InvokeAsAdminAsync("RefreshWorkspace", payload);
        });
        var answers = await Task.WhenAll(invocations);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(4, fixture.Requests.Total);
        Assert.Equal(2, fixture.Requests.Most);
    }
}
