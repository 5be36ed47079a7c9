using System.Text.Json;
using System.Threading.Channels;
using ProcoreConnect.Storage;

namespace ProcoreConnect.Events;

/// <summary>
/// Records events for the partner that owns the workspace, whether or not it has a webhook (the
/// outbox and the record it lists), then nudges the dispatcher. Publishing never fails the
/// operation that caused it.
/// </summary>
public sealed class EventPublisher(TableStore tables, PartnerWebhookStore webhooks, TimeProvider time, ILogger<EventPublisher> logger)
{
    /// <summary>The table's name (before the configured prefix).</summary>
    public const string TableName = "Events";

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    // Events of one instance in one millisecond still sort in the order they happened.
    private static long _sequence;

    /// <summary>Signals that an event is waiting; the local worker drains it at once.</summary>
    public Channel<string> Pending { get; } = Channel.CreateBounded<string>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>
    /// Records an event: <c>pending</c> when the partner has a webhook, else <c>not_sent</c>, kept
    /// for <see cref="EventOptions.Retention"/> to be listed and sent when the partner asks.
    /// </summary>
    public async Task PublishAsync(string partnerId, string? workspaceId, string type, object? data, CancellationToken cancellationToken)
    {
        try
        {
            var hooked = await webhooks.FindAsync(partnerId, cancellationToken) is not null;
            var now = time.GetUtcNow();
            var id = EventKeys.NewId(now, (ulong)Interlocked.Increment(ref _sequence));
            var body = JsonSerializer.Serialize(new { id, type, occurredAt = now, workspaceId, data }, Web);
            var table = await tables.GetAsync(TableName, cancellationToken);
            await table.AddEntityAsync(new EventEntity
            {
                PartitionKey = partnerId,
                RowKey = EventKeys.RowKey(id)!,
                EventId = id,
                Type = type,
                WorkspaceId = workspaceId,
                Body = body,
                Status = hooked ? EventStatus.Pending : EventStatus.NotSent,
                NextAttemptAt = now,
                CreatedAt = now,
            }, cancellationToken);
            if (hooked)
            {
                Pending.Writer.TryWrite(id);
            }

            logger.LogInformation("Event {Type} for workspace {WorkspaceId} recorded for partner {PartnerId} ({Status})",
                type, workspaceId, partnerId, hooked ? EventStatus.Pending : EventStatus.NotSent);
        }
#pragma warning disable CA1031 // See summary.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogError(ex, "Event {Type} for workspace {WorkspaceId} could not be recorded", type, workspaceId);
        }
    }
}
