using Azure;
using Azure.Data.Tables;
using ProcoreConnect.Common;
using ProcoreConnect.Storage;

namespace ProcoreConnect.Events;

/// <summary>
/// A partner's recorded events: read a page of them newest first, send one again or every one it
/// missed since a time, and forget those past <see cref="EventOptions.Retention"/>. Only ever one
/// partner's partition, so no partner reaches another's events.
/// </summary>
public sealed class EventLog(TableStore tables, PartnerWebhookStore webhooks, EventPublisher publisher, TimeProvider time)
{
    /// <summary>One page of the partner's events, newest first, and the storage token of the next.</summary>
    public async Task<(IReadOnlyList<EventRecord> Items, string? ContinuationToken)> ListAsync(
        string partnerId, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(EventPublisher.TableName, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partnerId}");
        await foreach (var page in table.QueryAsync<EventEntity>(filter, pageSize, cancellationToken: cancellationToken).AsPages(continuationToken, pageSize))
        {
            return ([.. page.Values.Select(e => e.ToRecord())], page.ContinuationToken);
        }

        return ([], null);
    }

    /// <summary>
    /// Queues event <paramref name="eventId"/> of the partner for delivery again, whatever became of
    /// it: not found (or another partner's), refused without a webhook, or a conflict while an
    /// instance is delivering it this moment.
    /// </summary>
    public async Task<WriteOutcome<EventRecord>> RedeliverAsync(string partnerId, string eventId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(EventPublisher.TableName, cancellationToken);
        var row = await FindAsync(table, partnerId, eventId, cancellationToken);
        if (row is null)
        {
            return new(WriteStatus.NotFound, Detail: $"Event '{eventId}' was not found: events are kept for the retention period, and only the caller's are seen.");
        }

        if (await webhooks.FindAsync(partnerId, cancellationToken) is null)
        {
            return new(WriteStatus.Conflict, Detail: NoWebhook);
        }

        Queue(row);
        try
        {
            await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is StatusCodes.Status412PreconditionFailed or StatusCodes.Status404NotFound)
        {
            return new(WriteStatus.Conflict, Detail: $"Event '{eventId}' is being delivered right now; read it and retry if it fails.");
        }

        publisher.Pending.Writer.TryWrite(row.Id());
        return new(WriteStatus.Updated, row.ToRecord());
    }

    /// <summary>
    /// Queues every event of the partner at or after <paramref name="since"/> that never reached a
    /// webhook (<c>not_sent</c> or <c>failed</c>); how many, or null
    /// when the partner has no webhook to send them to.
    /// </summary>
    public async Task<int?> RedeliverMissedAsync(string partnerId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        if (await webhooks.FindAsync(partnerId, cancellationToken) is null)
        {
            return null;
        }

        var table = await tables.GetAsync(EventPublisher.TableName, cancellationToken);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partnerId} and RowKey lt {EventKeys.Since(since)} and (Status eq {EventStatus.NotSent} or Status eq {EventStatus.Failed})");
        var missed = new List<EventEntity>();
        await foreach (var row in table.QueryAsync<EventEntity>(filter, cancellationToken: cancellationToken))
        {
            Queue(row);
            missed.Add(row);
        }

        // Rows no dispatcher touches (not pending), so written whole; one redelivered meanwhile may go twice (receivers deduplicate on the id).
        await TableTransactions.UpsertAllAsync(table, missed, cancellationToken);
        if (missed.Count > 0)
        {
            publisher.Pending.Writer.TryWrite(partnerId);
        }

        return missed.Count;
    }

    /// <summary>Deletes every partner's events recorded before <paramref name="cutoff"/>; how many.</summary>
    public async Task<int> ExpireAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(EventPublisher.TableName, cancellationToken);
        return await TableTransactions.DeleteWhereAsync(table, TableClient.CreateQueryFilter($"CreatedAt lt {cutoff}"), cancellationToken);
    }

    /// <summary>What a redelivery without a webhook answers.</summary>
    public const string NoWebhook = "There is no webhook to send events to: register one first (PUT /api/partner/webhook), then ask again.";

    private void Queue(EventEntity row)
    {
        row.Status = EventStatus.Pending;
        row.Attempts = 0;
        row.NextAttemptAt = time.GetUtcNow();
        row.LastError = null;
        row.LastStatusCode = null;
        row.DeliveredAt = null;
    }

    private static async Task<EventEntity?> FindAsync(TableClient table, string partnerId, string eventId, CancellationToken cancellationToken)
    {
        if (EventKeys.RowKey(eventId) is not { } rowKey)
        {
            return null;
        }

        // Rows written before ids and keys parted are found by the id itself.
        foreach (var key in new[] { rowKey, eventId })
        {
            var row = await table.GetEntityIfExistsAsync<EventEntity>(partnerId, key, cancellationToken: cancellationToken);
            if (row.HasValue && row.Value!.Id() == eventId)
            {
                return row.Value;
            }
        }

        return null;
    }
}
