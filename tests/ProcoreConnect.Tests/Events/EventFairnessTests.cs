using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Hosting;
using ProcoreConnect.Events;
using ProcoreConnect.Storage;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Events;

/// <summary>A partner's webhook that takes a post and answers only when told to: a silent, slow or endless receiver.</summary>
public sealed class HeldReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;
    private int _finished;

    private HeldReceiver(WebApplication app) => _app = app;

    /// <summary>Posts that have arrived.</summary>
    public int Arrived => Volatile.Read(ref _arrived);

    /// <summary>Posts whose answer ended: released, or given up by the sender.</summary>
    public int Finished => Volatile.Read(ref _finished);

    /// <summary>Event ids of the posts that arrived.</summary>
    public ConcurrentQueue<string> EventIds { get; } = new();

    public Uri Url => new(_app.Urls.Single() + "/hook");

    /// <summary>
    /// A receiver that holds each post until <see cref="Release"/>; with <paramref name="endlessBody"/>
    /// it answers 200 at once and then holds its body open instead.
    /// </summary>
    public static async Task<HeldReceiver> StartAsync(bool endlessBody = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new HeldReceiver(app);
        app.MapPost("/hook", async (HttpContext context) =>
        {
            Interlocked.Increment(ref receiver._arrived);
            receiver.EventIds.Enqueue(context.Request.Headers[EventSignature.EventIdHeader].ToString());
            try
            {
                if (endlessBody)
                {
                    context.Response.StatusCode = 200;
                    await context.Response.Body.WriteAsync(new byte[64 * 1024], context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }

                await receiver._release.Task.WaitAsync(context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The sender gave up.
            }
            finally
            {
                Interlocked.Increment(ref receiver._finished);
            }
        });
        await app.StartAsync();
        return receiver;
    }

    public void Release() => _release.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.DisposeAsync();
    }
}

public sealed class EventFairnessTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_partner_whose_webhook_never_answers_holds_a_few_slots_of_a_pass_and_never_another_partners_event()
    {
        await using var silent = await HeldReceiver.StartAsync();
        await using var prompt = await HeldReceiver.StartAsync();
        prompt.Release();
        // Partition keys sort "partner-a…" first: in storage order, all of A's events come before B's.
        var a = "partner-a" + Guid.NewGuid().ToString("N")[..8];
        var b = "partner-z" + Guid.NewGuid().ToString("N")[..8];
        await WebhookAsync(a, silent.Url);
        await WebhookAsync(b, prompt.Url);
        var publisher = fixture.App.Service<EventPublisher>();
        for (var i = 0; i < 12; i++)
        {
            await publisher.PublishAsync(a, "ws-a" + i, EventTypes.WorkspaceDeleted, null, default);
        }

        await publisher.PublishAsync(b, "ws-b", EventTypes.WorkspaceDeleted, null, default);

        var pass = fixture.App.Service<EventDispatcher>().DeliverDueAsync(default);
        await Wait.UntilAsync(() => prompt.Arrived == 1, "partner B's event was not posted while partner A's webhook held its posts", Patience);

        // B's event went out while every one of A's posts was still held: it never waited for A's.
        Assert.Equal(0, silent.Finished);
        var perPass = fixture.App.Service<Microsoft.Extensions.Options.IOptions<EventOptions>>().Value.PerPartnerPerPass;
        await Wait.UntilAsync(() => silent.Arrived == perPass, $"partner A's first {perPass} posts did not arrive", Patience);

        // One of A's held events is asked for again meanwhile (as a redelivery does): its row changes
        // under the post, and the pass goes on instead of failing.
        var table = await fixture.App.Service<TableStore>().GetAsync(EventPublisher.TableName, default);
        var held = silent.EventIds.First();
        var row = table.Query<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {a}")).Single(r => (r.GetString("EventId") is { Length: > 0 } id ? id : r.RowKey) == held);
        await table.UpdateEntityAsync(new TableEntity(a, row.RowKey) { ["Attempts"] = 0 }, ETag.All, TableUpdateMode.Merge);
        silent.Release();

        // Delivered: B's, and A's held posts once answered, but for the one whose row changed.
        Assert.Equal(1 + perPass - 1, await pass.WaitAsync(Patience));
        // The pass took only a few of A's twelve: the rest wait for the next one.
        Assert.Equal(perPass, silent.Arrived);
    }

    [Fact]
    public async Task A_webhook_answering_with_an_endless_body_is_delivered_on_its_status_alone()
    {
        await using var endless = await HeldReceiver.StartAsync(endlessBody: true);
        var partner = "partner-" + Guid.NewGuid().ToString("N")[..8];
        await WebhookAsync(partner, endless.Url);
        await fixture.App.Service<EventPublisher>().PublishAsync(partner, "ws-1", EventTypes.WorkspaceDeleted, null, default);

        // The body is never read: the status line is the answer, and the post is done.
        Assert.Equal(1, await fixture.App.Service<EventDispatcher>().DeliverDueAsync(default).WaitAsync(Patience));
        Assert.Equal(1, endless.Arrived);
    }

    private async Task WebhookAsync(string partner, Uri url)
    {
        var client = fixture.App.ClientFor(partner);
        var response = await client.PutAsync("/api/partner/webhook", Json.Body(new { url }));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }
}
