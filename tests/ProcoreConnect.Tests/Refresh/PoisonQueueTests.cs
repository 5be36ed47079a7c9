using System.Diagnostics.Metrics;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using ProcoreConnect.Clients;
using ProcoreConnect.Refresh;
using ProcoreConnect.Telemetry;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.WorkspaceConnections;

namespace ProcoreConnect.Tests.Refresh;

/// <summary>The app with a lease table that can be made to fail, and a one-second back-off between a queue message's tries.</summary>
public sealed class LeaseOutageFixture : ProcoreFixture
{
    public LeaseOutage Outage { get; } = new();

    protected override IDictionary<string, string?> ExtraSettings
    {
        get
        {
            var settings = base.ExtraSettings;
            settings["Refresh:RetryDelay"] = "00:00:01";
            return settings;
        }
    }

    protected override HttpClient Start(AppFactory app)
    {
        var options = new TableClientOptions();
        options.AddPolicy(Outage, HttpPipelinePosition.PerCall);
        app.WithServices(s => s.AddSingleton(new TableServiceClient(Azurite.Instance.ConnectionString, options)));
        return base.Start(app);
    }
}

/// <summary>
/// While on, every lease write fails (an entity group transaction, or a write to a Leases table): a
/// refresh message's batch cannot take its leases, so every entry of it fails, as when storage is down.
/// </summary>
public sealed class LeaseOutage : HttpPipelinePolicy
{
    private int _refused;
    private volatile bool _on;

    /// <summary>Whether lease writes fail.</summary>
    public bool On
    {
        get => _on;
        set => _on = value;
    }

    /// <summary>Lease batches refused so far: one per try of a message.</summary>
    public int Refused => Volatile.Read(ref _refused);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Check(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Check(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void Check(HttpMessage message)
    {
        var path = message.Request.Uri.Path;
        if (On && message.Request.Method != RequestMethod.Get && (path.EndsWith("/$batch", StringComparison.Ordinal) || path.Contains("Leases", StringComparison.Ordinal)))
        {
            Interlocked.Increment(ref _refused);
            throw new RequestFailedException(503, "injected: the lease table is unavailable");
        }
    }
}

/// <summary>
/// A refresh message whose every try fails is retried after a back-off, moved to the poison queue
/// after host.json's maxDequeueCount tries (here by the local queue worker, which honours the same
/// count), and its workspace then shows in needs-attention and in the abandoned-refresh metric.
/// </summary>
public sealed class PoisonQueueTests(LeaseOutageFixture fixture) : IClassFixture<LeaseOutageFixture>
{
    [Fact]
    public async Task A_message_that_keeps_failing_ends_in_the_poison_queue_then_in_needs_attention_and_metrics()
    {
        using var abandoned = new MetricCollector<long>(fixture.App.Service<IMeterFactory>(), ConnectTelemetry.Name, "procore_connect.refreshes_abandoned");
        var id = await fixture.ConnectedWorkspaceAsync(fixture.Simulator.Register());
        fixture.Clock.Advance(TimeSpan.FromMinutes(81));
        await fixture.App.Service<RefreshSweeper>().SweepAsync(default);
        var tries = fixture.App.Service<Microsoft.Extensions.Options.IOptions<RefreshOptions>>().Value.MaxDequeueCount;
        var worker = fixture.App.Service<LocalQueueWorker>();
        fixture.Outage.On = true;

        Assert.Equal(1, await worker.DrainAsync(default));
        Assert.Equal(1, fixture.Outage.Refused);
        // Backing off: the failed message is not tried again at once.
        Assert.Equal(0, await worker.DrainAsync(default));

        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (abandoned.GetMeasurementSnapshot().Count == 0 && DateTime.UtcNow < deadline)
        {
            if (await worker.DrainAsync(default) == 0)
            {
                await Task.Delay(100);
            }
        }

        Assert.Equal(tries, fixture.Outage.Refused);
        var measurement = Assert.Single(abandoned.GetMeasurementSnapshot());
        Assert.Equal("authorization_code", measurement.Tags["auth_flow"]);
        Assert.Equal(0, await fixture.App.Service<RefreshQueueClient>().CountAsync(default));

        var attention = await (await fixture.Client.GetAsync("/api/workspaces/needs-attention")).ReadAsync<NeedsAttentionResponse>();
        var reason = Assert.Single(Assert.Single(attention.Workspaces, w => w.WorkspaceId == id).Reasons);
        Assert.Equal(ConnectionHealth.RefreshFailing, reason.Code);
        Assert.Contains($"gave up on this workspace's refresh due", reason.Detail, StringComparison.Ordinal);
        Assert.Contains("next refresh sweep", reason.Action, StringComparison.Ordinal);

        // The entry stayed in the index: once storage is back, the next sweep refreshes it and clears the mark.
        fixture.Outage.On = false;
        await fixture.App.Service<RefreshSweeper>().SweepAsync(default);
        await worker.DrainAsync(default);
        attention = await (await fixture.Client.GetAsync("/api/workspaces/needs-attention")).ReadAsync<NeedsAttentionResponse>();
        Assert.DoesNotContain(attention.Workspaces, w => w.WorkspaceId == id);
    }
}
