using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using ProcoreConnect.Storage;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Webhooks;
using ProcoreConnect.WorkspaceConnections;

namespace ProcoreConnect.Tests.Webhooks;

/// <summary>Stored Procore deliveries expire after Webhooks:DeliveryRetention (30 days by default), swept by the purge timer.</summary>
public sealed class DeliveryRetentionTests
{
    private static ProcoreDelivery Delivery(string key) => new() { Key = key, ResourceName = "Projects", EventType = "create", ResourceId = 1 };

    [Fact]
    public async Task The_purge_timer_deletes_deliveries_older_than_the_retention_and_keeps_the_rest()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var app = new AppFactory().WithServices(s => s.AddSingleton<TimeProvider>(clock));
        var store = app.Service<InboundWebhookStore>();
        // Old enough to batch: more than one transaction's worth in one workspace, and another workspace.
        foreach (var i in Enumerable.Range(0, 130))
        {
            Assert.True(await store.RecordAsync("ws-old-0000000000000001", Delivery($"old{i}"), "{}", default));
        }

        Assert.True(await store.RecordAsync("ws-other-000000000000001", Delivery("old"), "{}", default));
        clock.Advance(TimeSpan.FromDays(29));
        Assert.True(await store.RecordAsync("ws-old-0000000000000001", Delivery("recent"), "{}", default));
        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));

        await PurgeDeletedWorkspaces.RunAsync(app.Services, default);

        var table = await app.Service<TableStore>().GetAsync(InboundWebhookStore.DeliveriesTable, default);
        var left = table.Query<TableEntity>(select: ["PartitionKey", "RowKey"]).Select(r => r.RowKey).ToList();
        Assert.Equal(["recent"], left);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-1.00:00:00")]
    public void A_retention_under_a_day_stops_the_app(string retention) =>
        // Procore retries for up to 12 hours: a shorter retention would forget deliveries it still repeats.
        Assert.Contains("DeliveryRetention", AppFactory.StartFailure("Webhooks:DeliveryRetention", retention), StringComparison.Ordinal);

    [Fact]
    public void A_payload_is_split_without_cutting_a_surrogate_pair()
    {
        // A high surrogate at the last position of the first part moves whole to the next.
        var payload = new string('x', DeliveryEntity.PartLength - 1) + "🏗" + new string('y', 40_000);
        var row = new DeliveryEntity();

        row.SetPayload(payload);

        Assert.Equal(DeliveryEntity.PartLength - 1, row.Payload.Length);
        Assert.StartsWith("🏗", row.PayloadPart2, StringComparison.Ordinal);
        Assert.Equal(payload, row.Payload + row.PayloadPart2 + row.PayloadPart3);
        Assert.Equal(payload.Length, row.PayloadLength);
    }
}
