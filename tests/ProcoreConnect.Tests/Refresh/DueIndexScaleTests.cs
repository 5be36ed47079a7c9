using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ProcoreConnect.Storage;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Tokens;
using Xunit.Abstractions;

namespace ProcoreConnect.Tests.Refresh;

/// <summary>With 10,000 workspaces indexed, reading what is due transfers only the due entries.</summary>
[Slow(SlowKind.Scale)]
public sealed class DueIndexScaleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_due_query_touches_only_the_due_entries_among_ten_thousand()
    {
        var counter = new ResponseCounter();
        var options = new TableClientOptions();
        options.AddPolicy(counter, HttpPipelinePosition.PerRetry);
        var tables = new TableStore(
            new TableServiceClient(Azurite.Instance.ConnectionString, options),
            Options.Create(new StorageOptions { TablePrefix = Azurite.NewPrefix() }));
        var index = new RefreshDueIndex(tables);
        var now = DateTimeOffset.UtcNow;

        // 10,000 workspaces, due over the next day; 38 of them (every 270th) due already.
        var table = await tables.GetAsync(RefreshDueIndex.TableName, default);
        var dueIds = new HashSet<string>();
        var batches = Enumerable.Range(0, 10_000).Select(i =>
        {
            var id = $"ws-{i:D5}";
            var dueAt = i % 270 == 0 ? now.AddSeconds(-i) : now.AddSeconds(60 + (i * 8.6));
            if (dueAt <= now)
            {
                dueIds.Add(id);
            }

            return (id, dueAt);
        }).Chunk(100);
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (chunk, ct) =>
        {
            foreach (var (id, dueAt) in chunk)
            {
                await index.ScheduleAsync(new DueWorkspace(new ProcoreConnect.Workspaces.WorkspaceRef(AppFactory.DefaultPartner, id), id + "-0123456789abcdef", dueAt), ct);
            }
        });

        counter.Reset();
        var due = await index.DueAsync(now, 10_000, default);

        output.WriteLine($"indexed: 10000, due: {dueIds.Count}, returned: {due.Count}, requests: {counter.Requests}, entities transferred: {counter.Entities}");
        Assert.Equal(38, dueIds.Count);
        Assert.Equal(dueIds.Order(), due.Select(d => ((DueWorkspace)d).Workspace.Id).Order());
        Assert.Equal(1, counter.Requests);
        Assert.Equal(38, counter.Entities);
        Assert.Equal(due.OrderBy(d => d.DueAt), due);
    }

    /// <summary>Counts table query responses and the entities in them.</summary>
    private sealed class ResponseCounter : HttpPipelinePolicy
    {
        public int Requests;
        public int Entities;

        public void Reset() => Requests = Entities = 0;

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            if (message.Request.Method == RequestMethod.Get && message.Request.Uri.Path.Contains("RefreshIndex", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref Requests);
                var body = message.Response.Content.ToString();
                using var json = System.Text.Json.JsonDocument.Parse(body);
                Interlocked.Add(ref Entities, json.RootElement.GetProperty("value").GetArrayLength());
            }
        }
    }
}
