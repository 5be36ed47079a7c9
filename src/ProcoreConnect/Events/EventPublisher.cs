using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using ProcoreConnect.Storage;

namespace ProcoreConnect.Events;

/// <summary>
/// Records connection events for the partner that owns the workspace (the outbox), then nudges the
/// dispatcher. Publishing never fails the operation that caused it.
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

    /// <summary>Records an event; skipped when the partner has no webhook.</summary>
    public async Task PublishAsync(string partnerId, string? workspaceId, string type, object? data, CancellationToken cancellationToken)
    {
        try
        {
            if (await webhooks.FindAsync(partnerId, cancellationToken) is null)
            {
                return;
            }

            var now = time.GetUtcNow();
            var sequence = (ulong)Interlocked.Increment(ref _sequence) % 0x1_0000_0000;
            var id = "evt_" + now.ToUnixTimeMilliseconds().ToString("D13", CultureInfo.InvariantCulture)
                + sequence.ToString("x8", CultureInfo.InvariantCulture) + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
            var body = JsonSerializer.Serialize(new { id, type, occurredAt = now, workspaceId, data }, Web);
            var table = await tables.GetAsync(TableName, cancellationToken);
            await table.AddEntityAsync(new EventEntity
            {
                PartitionKey = partnerId,
                RowKey = id,
                Type = type,
                WorkspaceId = workspaceId,
                Body = body,
                NextAttemptAt = now,
                CreatedAt = now,
            }, cancellationToken);
            Pending.Writer.TryWrite(id);
            logger.LogInformation("Event {Type} for workspace {WorkspaceId} queued for partner {PartnerId}", type, workspaceId, partnerId);
        }
#pragma warning disable CA1031 // See summary.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogError(ex, "Event {Type} for workspace {WorkspaceId} could not be recorded", type, workspaceId);
        }
    }
}
