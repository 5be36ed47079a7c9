using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using ProcoreConnect.Secrets;

namespace RefreshSweep;

/// <summary>Counts table requests by table and method.</summary>
internal sealed class TableCounter : HttpPipelinePolicy
{
    public ConcurrentDictionary<string, int> Counts { get; } = new();

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void Count(HttpMessage message)
    {
        var path = message.Request.Uri.Path;
        var table = path.Split('/', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1)?.Split('(')[0] ?? "?";
        Counts.AddOrUpdate($"{table} {message.Request.Method}", 1, (_, n) => n + 1);
    }
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
