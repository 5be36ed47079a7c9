using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace ProcoreConnect.Refresh;

/// <summary>The queue of due workspaces. Messages are base64 JSON, as the Functions queue trigger expects.</summary>
public sealed class RefreshQueueClient(QueueClient queue)
{
    private int _created;

    /// <summary>Enqueues one workspace.</summary>
    public async Task EnqueueAsync(string workspaceId, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await queue.SendMessageAsync(JsonSerializer.Serialize(new RefreshMessage(workspaceId)), cancellationToken);
    }

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

    /// <summary>Reads a workspace id from a message body (JSON object, or a JSON string holding one).</summary>
    public static string? WorkspaceIdOf(JsonElement body)
    {
        if (body.ValueKind == JsonValueKind.String)
        {
            try
            {
                using var inner = JsonDocument.Parse(body.GetString()!);
                return WorkspaceIdOf(inner.RootElement);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        return body.ValueKind == JsonValueKind.Object
            && body.TryGetProperty("workspaceId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
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
