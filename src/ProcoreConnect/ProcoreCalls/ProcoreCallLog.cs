using System.Globalization;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using ProcoreConnect.Storage;

namespace ProcoreConnect.ProcoreCalls;

/// <summary>The call log in Table Storage: each workspace's proxied calls, newest first, kept for <see cref="ProcoreCallOptions.Retention"/>.</summary>
public sealed class ProcoreCallLog(TableStore tables)
{
    /// <summary>The table's name (before the configured prefix).</summary>
    public const string TableName = "ProcoreCalls";

    /// <summary>The row key of a call at <paramref name="at"/>: inverted ticks, so a partition reads newest first.</summary>
    public static string RowKey(DateTimeOffset at) =>
        (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    /// <summary>Writes calls, each workspace's in transactions of up to 100.</summary>
    public async Task WriteAsync(IReadOnlyCollection<ProcoreCallEntity> calls, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        foreach (var workspace in calls.GroupBy(c => c.PartitionKey, StringComparer.Ordinal))
        {
            await TableTransactions.UpsertAllAsync(table, workspace, cancellationToken);
        }
    }

    /// <summary>A page of a workspace's calls, newest first, and the storage token of the next.</summary>
    public async Task<(IReadOnlyList<ProcoreCall> Calls, string? Next)> PageAsync(
        string workspaceKey, DateTimeOffset since, int size, string? continuationToken, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var pages = table.QueryAsync<ProcoreCallEntity>(InWindow(workspaceKey, since), size, cancellationToken: cancellationToken)
            .AsPages(continuationToken, size);
        await foreach (var page in pages)
        {
            return ([.. page.Values.Select(e => e.ToCall())], page.ContinuationToken);
        }

        return ([], null);
    }

    /// <summary>How many of a workspace's calls since <paramref name="since"/> ended with each status.</summary>
    public async Task<IReadOnlyDictionary<int, int>> CountByStatusAsync(string workspaceKey, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var counts = new Dictionary<int, int>();
        await foreach (var row in table.QueryAsync<ProcoreCallEntity>(InWindow(workspaceKey, since), select: [nameof(ProcoreCallEntity.Status)], cancellationToken: cancellationToken))
        {
            counts[row.Status] = counts.GetValueOrDefault(row.Status) + 1;
        }

        return counts;
    }

    /// <summary>Deletes every call older than <paramref name="cutoff"/>; answers how many.</summary>
    public async Task<int> ExpireAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        return await TableTransactions.DeleteWhereAsync(table, TableClient.CreateQueryFilter($"At lt {cutoff}"), cancellationToken);
    }

    // The row keys of calls at or after `since` sort before the inverted `since` (newest first).
    private static string InWindow(string workspaceKey, DateTimeOffset since)
    {
        var upTo = (DateTimeOffset.MaxValue.UtcTicks - since.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "~";
        return TableClient.CreateQueryFilter($"PartitionKey eq {workspaceKey} and RowKey lt {upTo}");
    }
}
