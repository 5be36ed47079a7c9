using Azure;
using Azure.Data.Tables;

namespace ProcoreConnect.Storage;

/// <summary>Writing and deleting many rows of one partition in entity group transactions.</summary>
public static class TableTransactions
{
    /// <summary>Table Storage's limit on the operations of one entity group transaction.</summary>
    public const int MaxOperations = 100;

    /// <summary>
    /// Deletes rows of one partition, <see cref="MaxOperations"/> per transaction, each only if it
    /// still matches its ETag (<see cref="ETag.All"/>: whatever it holds). A transaction fails
    /// whole when one row is gone or has changed; its rows are then deleted one by one, and those
    /// are left alone.
    /// </summary>
    public static Task DeleteAllAsync(
        TableClient table, string partition, IEnumerable<(string RowKey, ETag IfMatch)> rows, int parallelism, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(
            rows.DistinctBy(r => r.RowKey, StringComparer.Ordinal).Chunk(MaxOperations),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (batch, ct) =>
            {
                try
                {
                    await table.SubmitTransactionAsync(
                        batch.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, r.RowKey), r.IfMatch)), ct);
                }
                catch (TableTransactionFailedException)
                {
                    foreach (var (rowKey, ifMatch) in batch)
                    {
                        await DeleteIfUnchangedAsync(table, partition, rowKey, ifMatch, ct);
                    }
                }
            });

    /// <summary>
    /// Deletes every row <paramref name="filter"/> matches, whichever partition it is in: a scan
    /// that reads keys only, a storage page at a time (so memory holds one page however many rows
    /// match), each page's rows deleted by <see cref="DeleteAllAsync"/> per partition before the
    /// next is read. Answers how many.
    /// </summary>
    public static async Task<int> DeleteWhereAsync(TableClient table, string filter, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var page in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).AsPages())
        {
            foreach (var partition in page.Values.GroupBy(r => r.PartitionKey, StringComparer.Ordinal))
            {
                await DeleteAllAsync(table, partition.Key, partition.Select(r => (r.RowKey, ETag.All)), parallelism: 4, cancellationToken);
            }

            count += page.Values.Count;
        }

        return count;
    }

    /// <summary>
    /// Upserts (replaces) rows of one partition, <see cref="MaxOperations"/> per transaction. A
    /// transaction fails whole (and may not name a row twice, so only a key's first row is kept);
    /// a failed one is retried row by row.
    /// </summary>
    public static async Task UpsertAllAsync(TableClient table, IEnumerable<ITableEntity> rows, CancellationToken cancellationToken)
    {
        foreach (var batch in rows.DistinctBy(r => r.RowKey, StringComparer.Ordinal).Chunk(MaxOperations))
        {
            try
            {
                await table.SubmitTransactionAsync(batch.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), cancellationToken);
            }
            catch (TableTransactionFailedException)
            {
                foreach (var row in batch)
                {
                    await table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
                }
            }
        }
    }

    /// <summary>Deletes one row if it is there and still matches <paramref name="ifMatch"/>; otherwise leaves it.</summary>
    public static async Task DeleteIfUnchangedAsync(TableClient table, string partition, string rowKey, ETag ifMatch, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(partition, rowKey, ifMatch, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // Gone already, or changed by someone else since: not ours to delete.
        }
    }
}
