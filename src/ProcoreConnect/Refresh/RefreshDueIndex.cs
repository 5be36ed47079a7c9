using System.Globalization;
using Azure;
using Azure.Data.Tables;
using ProcoreConnect.Storage;

namespace ProcoreConnect.Refresh;

/// <summary>
/// The index of workspaces by refresh due time. Reading what is due costs in proportion to what is
/// due, not to the number of workspaces: it is a range read on the RowKey of one partition.
/// </summary>
public sealed class RefreshDueIndex(TableStore tables)
{
    /// <summary>The table's name (before the configured prefix).</summary>
    public const string TableName = "RefreshIndex";

    /// <summary>Adds (or keeps) the entry for a workspace due at <paramref name="dueAt"/>.</summary>
    public async Task ScheduleAsync(string workspaceId, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        await table.UpsertEntityAsync(new RefreshIndexEntity
        {
            RowKey = Key(workspaceId, dueAt),
            WorkspaceId = workspaceId,
            DueAt = dueAt,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Removes an entry; a missing one is fine.</summary>
    public async Task RemoveAsync(DueRefresh entry, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        await TableTransactions.DeleteIfUnchangedAsync(table, RefreshIndexEntity.Partition, Key(entry.WorkspaceId, entry.DueAt), ETag.All, cancellationToken);
    }

    /// <summary>
    /// Removes many entries, a hundred per entity group transaction (they share one partition), so
    /// a sweep pays one request per hundred refreshes instead of one each. A transaction fails
    /// whole when one entry is already gone; its entries are then removed one by one.
    /// </summary>
    public async Task RemoveAllAsync(IEnumerable<DueRefresh> entries, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        await TableTransactions.DeleteAllAsync(
            table, RefreshIndexEntity.Partition, entries.Select(e => (Key(e.WorkspaceId, e.DueAt), ETag.All)), parallelism: 4, cancellationToken);
    }

    /// <summary>Entries due at or before <paramref name="now"/>, oldest first, at most <paramref name="max"/>.</summary>
    public async Task<IReadOnlyList<DueRefresh>> DueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        // "~" sorts after every id character, so the bound includes every entry of the last second.
        var upper = Seconds(now) + "~";
        var due = new List<DueRefresh>();
        var query = table.QueryAsync<RefreshIndexEntity>(
            e => e.PartitionKey == RefreshIndexEntity.Partition && e.RowKey.CompareTo(upper) <= 0,
            maxPerPage: Math.Min(max, 1000),
            select: ["WorkspaceId", "DueAt"],
            cancellationToken: cancellationToken);
        await foreach (var entity in query)
        {
            due.Add(new DueRefresh(entity.WorkspaceId, entity.DueAt));
            if (due.Count >= max)
            {
                break;
            }
        }

        return due;
    }

    private static string Key(string workspaceId, DateTimeOffset dueAt) => Seconds(dueAt) + "_" + workspaceId;

    private static string Seconds(DateTimeOffset at) =>
        Math.Max(0, at.ToUnixTimeSeconds()).ToString("D12", CultureInfo.InvariantCulture);
}
