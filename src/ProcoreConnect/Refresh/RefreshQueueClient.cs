using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Azure.Storage.Queues.Specialized;
using ProcoreConnect.Tokens;

namespace ProcoreConnect.Refresh;

/// <summary>
/// The queue of due index entries, and its poison queue. Messages are JSON: a batch
/// (<see cref="RefreshBatchMessage"/>, what the sweep sends) or one entry (<see cref="RefreshMessage"/>,
/// what earlier versions sent).
/// </summary>
public sealed class RefreshQueueClient(QueueClient queue)
{
    /// <summary>
    /// The poison queue's name is the queue's followed by this: where the host's queue trigger moves
    /// a message after its last failed try (Azure/azure-sdk-for-net,
    /// Microsoft.Azure.WebJobs.Extensions.Storage.Queues, Listeners/QueueListenerFactory.cs).
    /// </summary>
    public const string PoisonSuffix = "-poison";

    private readonly QueueClient _poison = queue.GetParentQueueServiceClient().GetQueueClient(queue.Name + PoisonSuffix);
    private Lazy<Task>? _created;

    /// <summary>Enqueues one message naming <paramref name="entries"/>.</summary>
    public async Task EnqueueAsync(IReadOnlyList<DueRefresh> entries, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await queue.SendMessageAsync(MessageText(entries), cancellationToken);
    }

    /// <summary>The text of a single-entry message that asks for <paramref name="entry"/> (before the queue's base64).</summary>
    public static string MessageText(DueRefresh entry) => JsonSerializer.Serialize(RefreshMessage.From(entry));

    /// <summary>The text of the message that asks for <paramref name="entries"/> (before the queue's base64).</summary>
    public static string MessageText(IReadOnlyList<DueRefresh> entries) =>
        JsonSerializer.Serialize(new RefreshBatchMessage { Entries = [.. entries.Select(RefreshMessage.From)] });

    /// <summary>Takes up to <paramref name="max"/> messages, invisible to others for <paramref name="visibility"/>.</summary>
    public async Task<QueueMessage[]> ReceiveAsync(int max, TimeSpan visibility, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        return (await queue.ReceiveMessagesAsync(max, visibility, cancellationToken)).Value;
    }

    /// <summary>Deletes a handled message.</summary>
    public Task DeleteAsync(QueueMessage message, CancellationToken cancellationToken) =>
        queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);

    /// <summary>Puts a failed message back, visible again after <paramref name="delay"/>.</summary>
    public Task RetryLaterAsync(QueueMessage message, TimeSpan delay, CancellationToken cancellationToken) =>
        queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: delay, cancellationToken: cancellationToken);

    /// <summary>Moves a message to the poison queue, as the host does: its body copied, then the original deleted.</summary>
    public async Task PoisonAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        await _poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await _poison.SendMessageAsync(message.Body, cancellationToken: cancellationToken);
        await DeleteAsync(message, cancellationToken);
    }

    /// <summary>Takes up to <paramref name="max"/> messages from the poison queue (none when it does not exist).</summary>
    public async Task<QueueMessage[]> ReceivePoisonedAsync(int max, TimeSpan visibility, CancellationToken cancellationToken)
    {
        try
        {
            return (await _poison.ReceiveMessagesAsync(max, visibility, cancellationToken)).Value;
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            return [];
        }
    }

    /// <summary>Deletes a handled message of the poison queue.</summary>
    public Task DeletePoisonedAsync(QueueMessage message, CancellationToken cancellationToken) =>
        _poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);

    /// <summary>The approximate number of waiting messages.</summary>
    public async Task<int> CountAsync(CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        return (await queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
    }

    /// <summary>
    /// Reads the due entries from a message as it reaches the queue function; null when malformed
    /// (a batch's malformed entries are left out, and a batch with none left is malformed).
    /// The Functions host binds a queue trigger without a dataType to a string and serializes it
    /// once more before putting it in the invocation's <c>Data</c> (Azure/azure-functions-host,
    /// src/WebJobs.Script/Workers/MessageExtensions/ScriptInvocationContextExtensions.cs,
    /// GetHttpScriptInvocationContextValue: <c>JsonConvert.SerializeObject(inputValue)</c>), so
    /// <c>Data.msg</c> is a JSON string holding a JSON string holding the message text. Up to two
    /// such layers are unwrapped; the message text itself, or the object, are accepted as well.
    /// </summary>
    public static IReadOnlyList<DueRefresh>? EntriesOf(JsonElement message)
    {
        for (var layers = 0; message.ValueKind == JsonValueKind.String && layers < 2; layers++)
        {
            try
            {
                using var inner = JsonDocument.Parse(message.GetString()!);
                message = inner.RootElement.Clone();
            }
            catch (JsonException)
            {
                return null;
            }
        }

        try
        {
            if (message.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (!message.TryGetProperty("entries", out _))
            {
                return message.Deserialize<RefreshMessage>()?.ToEntry() is { } single ? [single] : null;
            }

            var entries = message.Deserialize<RefreshBatchMessage>()?.Entries?.Select(e => e?.ToEntry()).OfType<DueRefresh>().ToList();
            return entries is { Count: > 0 } ? entries : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Once per process, however many sends start together (a sweep sends its messages in parallel).
    private async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        var created = Volatile.Read(ref _created) ?? (Interlocked.CompareExchange(ref _created, new Lazy<Task>(CreateAsync), null) ?? _created!);
        try
        {
            await created.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (created.Value.IsFaulted)
        {
            // Not remembered: storage may come back.
            Interlocked.CompareExchange(ref _created, null, created);
            throw;
        }
    }

    private async Task CreateAsync() => await queue.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
}
