using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ProcoreConnect.Storage;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Tokens;

namespace ProcoreConnect.Tests.Refresh;

/// <summary>The sweep removes the entries it is done with a hundred per transaction.</summary>
public sealed class DueIndexRemovalTests
{
    [Fact]
    public async Task Entries_go_a_hundred_per_transaction_and_one_already_gone_fails_only_its_own_batch()
    {
        var counter = new RequestCounter();
        var options = new TableClientOptions();
        options.AddPolicy(counter, HttpPipelinePosition.PerRetry);
        var index = new RefreshDueIndex(new TableStore(
            new TableServiceClient(Azurite.Instance.ConnectionString, options),
            Options.Create(new StorageOptions { TablePrefix = Azurite.NewPrefix() })));
        var now = DateTimeOffset.UtcNow;
        var entries = Enumerable.Range(0, 255).Select(i => Entry($"ws-{i:D3}", now.AddSeconds(-i))).ToList();
        await Parallel.ForEachAsync(entries, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (e, ct) => await index.ScheduleAsync(e, ct));
        var kept = entries[^5..];
        var gone = Entry("ws-gone", now);

        counter.Clear();
        await index.RemoveAllAsync([gone, .. entries[..^5], entries[0]], default);

        Assert.Equal(kept.Select(e => e.Subject), (await index.DueAsync(now, 1000, default)).Select(e => e.Subject).Order(StringComparer.Ordinal));
        Assert.Equal(3, counter.Count("POST $batch")); // 251 distinct keys: 100 + 100 + 51
        Assert.Equal(100, counter.Count("DELETE")); // the batch holding the missing entry, one by one
    }

    private static DueWorkspace Entry(string id, DateTimeOffset dueAt) =>
        new(new ProcoreConnect.Workspaces.WorkspaceRef(AppFactory.DefaultPartner, id), id + "-0123456789abcdef", dueAt);

    private sealed class RequestCounter : HttpPipelinePolicy
    {
        private readonly System.Collections.Concurrent.ConcurrentBag<string> _requests = [];

        public void Clear() => _requests.Clear();

        public int Count(string what) => _requests.Count(r => r == what);

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            _requests.Add(message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal)
                ? $"{message.Request.Method} $batch"
                : message.Request.Method.ToString());
            await ProcessNextAsync(message, pipeline);
        }
    }
}
