using System.Globalization;
using System.Security.Cryptography;
using Azure.Data.Tables;
using ProcoreConnect.Storage;

namespace ProcoreConnect.ProcoreCalls;

/// <summary>
/// The call log in Table Storage, one partition per workspace: its calls packed many to a row
/// (<see cref="CallChunkEntity"/>, newest first) and their counts by the hour
/// (<see cref="CallCountsEntity"/>), kept for <see cref="ProcoreCallOptions.Retention"/>.
/// </summary>
public sealed class ProcoreCallLog(TableStore tables)
{
    /// <summary>The table's name (before the configured prefix).</summary>
    public const string TableName = "ProcoreCalls";

    // A transaction may carry 4 MiB: this many chunks of at most 32 KiB (sent as base64) fit with room to spare.
    private const int RowsPerTransaction = 64;

    // Chunks vary from one call to hundreds: a few per storage page keeps a list's read small.
    private const int ChunksPerRead = 8;

    /// <summary>The row key of a chunk whose newest call ended at <paramref name="newest"/>: newest first, and a random suffix.</summary>
    public static string ChunkKey(DateTimeOffset newest) => Inverted(newest) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    /// <summary>The row key of <paramref name="recorder"/>'s counts for the hour starting at <paramref name="hour"/>.</summary>
    public static string CountsKey(DateTimeOffset hour, string recorder) => CallCountsEntity.Prefix + Inverted(hour) + "-" + recorder;

    /// <summary>The start of the hour <paramref name="at"/> is in.</summary>
    public static DateTimeOffset Hour(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);

    /// <summary>Writes a workspace's calls as chunks, with its recorder's counts row, in as few transactions as fit.</summary>
    public async Task WriteAsync(string workspaceKey, IReadOnlyCollection<ProcoreCallEntry> calls, CallCountsEntity counts, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var rows = CallChunkCodec.Pack(calls)
            .Select(chunk => (ITableEntity)new CallChunkEntity
            {
                PartitionKey = workspaceKey, RowKey = ChunkKey(chunk.Calls[0].Ended), At = chunk.Calls[0].Ended, Count = chunk.Calls.Count, Calls = chunk.Blob,
            })
            .Append(counts);
        foreach (var batch in rows.Chunk(RowsPerTransaction))
        {
            await table.SubmitTransactionAsync(batch.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), cancellationToken);
        }
    }

    /// <summary>A page of a workspace's calls that ended since <paramref name="since"/>, newest first, and where the next page starts.</summary>
    public async Task<(IReadOnlyList<ProcoreCall> Calls, CallCursor? Next)> PageAsync(
        string workspaceKey, DateTimeOffset since, int size, CallCursor? from, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {workspaceKey} and RowKey lt {Inverted(since) + "~"}");
        if (from is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey ge {from.RowKey}");
        }

        var page = new List<ProcoreCall>(size);
        await foreach (var chunk in table.QueryAsync<CallChunkEntity>(filter, ChunksPerRead, cancellationToken: cancellationToken))
        {
            var calls = CallChunkCodec.Unpack(chunk.Calls);
            for (var i = chunk.RowKey == from?.RowKey ? from.Offset : 0; i < calls.Count; i++)
            {
                if (page.Count == size)
                {
                    return (page, new CallCursor(chunk.RowKey, i));
                }

                if (calls[i].At.AddMilliseconds(calls[i].DurationMs) >= since)
                {
                    page.Add(calls[i]);
                }
            }
        }

        return (page, null);
    }

    /// <summary>A workspace's calls counted since the hour <paramref name="since"/> is in.</summary>
    public async Task<CallCounts> CountAsync(string workspaceKey, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var upTo = CallCountsEntity.Prefix + Inverted(Hour(since)) + "~";
        var counts = new CallCounts();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {workspaceKey} and RowKey gt {CallCountsEntity.Prefix} and RowKey lt {upTo}");
        await foreach (var row in table.QueryAsync<CallCountsEntity>(filter, cancellationToken: cancellationToken))
        {
            counts.Add(row);
        }

        return counts;
    }

    /// <summary>Deletes every chunk and count older than <paramref name="cutoff"/>, a storage page at a time; answers how many rows.</summary>
    public async Task<int> ExpireAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        return await TableTransactions.DeleteWhereAsync(table, TableClient.CreateQueryFilter($"At lt {cutoff}"), cancellationToken);
    }

    /// <summary>Deletes a workspace's whole log (the workspace is being deleted); answers how many rows.</summary>
    public async Task<int> DeleteAsync(string workspaceKey, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        return await TableTransactions.DeleteWhereAsync(table, TableClient.CreateQueryFilter($"PartitionKey eq {workspaceKey}"), cancellationToken);
    }

    private static string Inverted(DateTimeOffset at) => (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);
}
