using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Core;
using Azure.Core.Pipeline;
using ProcoreConnect.Secrets;

namespace RefreshSweep;

/// <summary>Counts storage requests, and the time they take: by table and method, or (<paramref name="queues"/>) by queue operation.</summary>
internal sealed partial class StorageCounter(bool queues = false) : HttpPipelinePolicy
{
    public ConcurrentDictionary<string, int> Counts { get; } = new();

    public ConcurrentDictionary<string, long> Ticks { get; } = new();

    public void Clear()
    {
        Counts.Clear();
        Ticks.Clear();
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        throw new NotSupportedException("The app makes asynchronous storage calls only.");

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var key = Key(message);
        var started = Stopwatch.GetTimestamp();
        await ProcessNextAsync(message, pipeline);
        Counts.AddOrUpdate(key, 1, (_, n) => n + 1);
        Ticks.AddOrUpdate(key, Stopwatch.GetElapsedTime(started).Ticks, (_, t) => t + Stopwatch.GetElapsedTime(started).Ticks);
    }

    /// <summary>All requests counted.</summary>
    public int Total => Counts.Sum(c => c.Value);

    private string Key(HttpMessage message) => queues ? QueueKey(message) : TableKey(message);

    // .../queue/messages (send, receive) or .../queue/messages/{id} (delete); else the queue itself.
    private static string QueueKey(HttpMessage message)
    {
        var path = message.Request.Uri.Path;
        var what = path.EndsWith("/messages", StringComparison.Ordinal) ? "messages" : path.Contains("/messages/", StringComparison.Ordinal) ? "message" : "queue";
        return $"queue {what} {message.Request.Method}";
    }

    private static string TableKey(HttpMessage message)
    {
        var path = message.Request.Uri.Path;
        var table = path.Split('/', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1)?.Split('(')[0] ?? "?";

        return table == "$batch" ? $"{TransactionTable(message)} transaction" : $"{table} {message.Request.Method}";
    }

    // An entity group transaction names its table only in its body.
    private static string TransactionTable(HttpMessage message)
    {
        using var body = new MemoryStream();
        message.Request.Content?.WriteTo(body, CancellationToken.None);
        var match = TableInBody().Match(System.Text.Encoding.UTF8.GetString(body.ToArray()));
        return match.Success ? match.Groups[1].Value : "?";
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"devstoreaccount1/([A-Za-z][A-Za-z0-9]*)")]
    private static partial System.Text.RegularExpressions.Regex TableInBody();
}

/// <summary>Counts secret-store operations by kind.</summary>
internal sealed class CountingSecretStore(ISecretStore inner) : ISecretStore
{
    public ConcurrentDictionary<string, int> Counts { get; } = new();

    public string Kind => inner.Kind;

    private void Add(string op) => Counts.AddOrUpdate(op, 1, (_, n) => n + 1);

    public Task<SecretReference> SetAsync(string name, string value, CancellationToken cancellationToken) { Add("set"); return inner.SetAsync(name, value, cancellationToken); }

    public Task<string> GetAsync(SecretReference reference, CancellationToken cancellationToken) { Add("get"); return inner.GetAsync(reference, cancellationToken); }

    public Task<(SecretReference Reference, string Value)?> GetLatestAsync(string name, CancellationToken cancellationToken) { Add("get-latest"); return inner.GetLatestAsync(name, cancellationToken); }

    public Task DisableAsync(SecretReference reference, CancellationToken cancellationToken) { Add("disable"); return inner.DisableAsync(reference, cancellationToken); }

    public Task DeleteAsync(string name, CancellationToken cancellationToken) { Add("delete"); return inner.DeleteAsync(name, cancellationToken); }

    public Task CheckAsync(CancellationToken cancellationToken) => inner.CheckAsync(cancellationToken);
}

/// <summary>A clock the benchmark moves; delays stay real.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
