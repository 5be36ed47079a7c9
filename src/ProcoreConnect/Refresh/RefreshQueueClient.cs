using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace ProcoreConnect.Refresh;

/// <summary>The queue of due index entries. Messages are JSON (<see cref="RefreshMessage"/>).</summary>
public sealed class RefreshQueueClient(QueueClient queue)
{
    private int _created;

    /// <summary>Enqueues one due entry.</summary>
    public async Task EnqueueAsync(DueRefresh entry, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await queue.SendMessageAsync(Serialize(entry), cancellationToken);
    }

    /// <summary>The message body for an entry, as it is sent.</summary>
    public static string Serialize(DueRefresh entry) => JsonSerializer.Serialize(RefreshMessage.From(entry));

    /// <summary>Takes up to <paramref name="max"/> messages, invisible to others for <paramref name="visibility"/>.</summary>
    public async Task<QueueMessage[]> ReceiveAsync(int max, TimeSpan visibility, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        return (await queue.ReceiveMessagesAsync(max, visibility, cancellationToken)).Value;
    }

    /// <summary>Deletes a handled message.</summary>
    public Task DeleteAsync(QueueMessage message, CancellationToken cancellationToken) =>
        queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);

    /// <summary>The approximate number of waiting messages.</summary>
    public async Task<int> CountAsync(CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        return (await queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
    }

    /// <summary>Reads the entry from a message body (a JSON object, or a JSON string holding one); null when malformed.</summary>
    public static DueRefresh? EntryOf(JsonElement body)
    {
        if (body.ValueKind == JsonValueKind.String)
        {
            try
            {
                using var inner = JsonDocument.Parse(body.GetString()!);
                return EntryOf(inner.RootElement);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        try
        {
            return body.ValueKind == JsonValueKind.Object ? body.Deserialize<RefreshMessage>()?.ToEntry() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _created) == 0)
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            Volatile.Write(ref _created, 1);
        }
    }
}
