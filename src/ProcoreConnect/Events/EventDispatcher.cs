using Azure;
using Microsoft.Extensions.Options;
using ProcoreConnect.Storage;

namespace ProcoreConnect.Events;

/// <summary>
/// Delivers recorded events: signs each, posts it, and records the outcome; failures are retried
/// with exponential back-off (30 s doubling, up to <see cref="EventOptions.MaxAttempts"/> tries).
/// An event is claimed with a conditional write first, so two instances never post it twice at once.
/// </summary>
public sealed class EventDispatcher(
    TableStore tables,
    PartnerWebhookStore webhooks,
    EventDeliveryClient client,
    TimeProvider time,
    IOptions<EventOptions> options,
    ILogger<EventDispatcher> logger)
{
    /// <summary>The wait before attempt <paramref name="attempt"/> + 1.</summary>
    public static TimeSpan Backoff(int attempt) => TimeSpan.FromSeconds(30 * Math.Pow(2, Math.Min(attempt - 1, 10)));

    /// <summary>Delivers every event that is due; returns how many were delivered.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(EventPublisher.TableName, cancellationToken);
        var now = time.GetUtcNow();
        var due = new List<EventEntity>();
        await foreach (var row in table.QueryAsync<EventEntity>(e => e.Status == EventStatus.Pending && e.NextAttemptAt <= now, cancellationToken: cancellationToken))
        {
            due.Add(row);
        }

        var delivered = 0;
        await Parallel.ForEachAsync(Fair(due, options.Value.PerPartnerPerPass), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (row, ct) =>
        {
            if (await DeliverAsync(table, row, ct))
            {
                Interlocked.Increment(ref delivered);
            }
        });
        return delivered;
    }

    // A few of each partner's events, the earliest due first, taken in turns: partner A's backlog
    // neither fills the pass's slots before partner B's first event nor makes the pass longer.
    private static IEnumerable<EventEntity> Fair(List<EventEntity> due, int perPartner) =>
        due.GroupBy(e => e.PartitionKey, StringComparer.Ordinal)
            .SelectMany(partner => partner.OrderBy(e => e.NextAttemptAt).Take(perPartner).Select((e, turn) => (e, turn)))
            .OrderBy(x => x.turn)
            .Select(x => x.e);

    private async Task<bool> DeliverAsync(Azure.Data.Tables.TableClient table, EventEntity row, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        try
        {
            // Claim: push the next attempt past this one's timeout; a concurrent claimer gets 412.
            row.NextAttemptAt = now + options.Value.Timeout + options.Value.Timeout;
            row.ETag = (await table.UpdateEntityAsync(row, row.ETag, Azure.Data.Tables.TableUpdateMode.Replace, cancellationToken)).Headers.ETag ?? default;
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return false;
        }

        var webhook = await webhooks.FindAsync(row.PartitionKey, cancellationToken);
        int status;
        string? error;
        if (webhook is null)
        {
            (status, error) = (0, "the partner removed its webhook");
            row.Attempts = options.Value.MaxAttempts - 1;
        }
        else
        {
            var secret = await webhooks.SigningSecretAsync(webhook, cancellationToken);
            var timestamp = now.ToUnixTimeSeconds();
            status = await client.PostAsync(webhook.Url, row.Id(), row.Body, timestamp, EventSignature.Sign(secret, timestamp, row.Body), cancellationToken);
            error = status is >= 200 and < 300 ? null : EventDeliveryClient.FailedReason;
        }

        row.Attempts++;
        row.LastStatusCode = status == 0 ? null : status;
        row.LastError = error;
        if (status is >= 200 and < 300)
        {
            row.Status = EventStatus.Delivered;
            row.DeliveredAt = time.GetUtcNow();
        }
        else if (row.Attempts >= options.Value.MaxAttempts)
        {
            row.Status = EventStatus.Failed;
            logger.LogWarning("Event {EventId} to partner {PartnerId} failed after {Attempts} attempts: {Error}", row.Id(), row.PartitionKey, row.Attempts, error);
        }
        else
        {
            row.NextAttemptAt = time.GetUtcNow() + Backoff(row.Attempts);
        }

        try
        {
            await table.UpdateEntityAsync(row, row.ETag, Azure.Data.Tables.TableUpdateMode.Replace, CancellationToken.None);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // Asked again (redeliver) or expired while it was posted: the row as it is now stands,
            // and the pass goes on with the other events.
            logger.LogInformation("Event {EventId} changed while it was delivered; its outcome ({Status}) is not recorded", row.Id(), status);
            return false;
        }

        return row.Status == EventStatus.Delivered;
    }
}
