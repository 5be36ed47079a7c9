using System.Globalization;
using Azure;
using Azure.Data.Tables;
using ProcoreConnect.Clients;
using ProcoreConnect.Common;
using ProcoreConnect.Procore;
using ProcoreConnect.Storage;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tokens;

/// <summary>
/// The index of tokens by refresh due time: authorization-code workspaces and the shared tokens of
/// client-credentials clients. Reading what is due costs in proportion to what is due, not to the
/// number of workspaces: it is a range read on the RowKey of one partition.
/// </summary>
public sealed class RefreshDueIndex(TableStore tables)
{
    /// <summary>The table's name (before the configured prefix).</summary>
    public const string TableName = "RefreshIndex";

    private const string WorkspaceKind = "workspace", ClientTokenKind = "client_token";

    /// <summary>Adds (or keeps) an entry.</summary>
    public async Task ScheduleAsync(DueRefresh entry, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        await table.UpsertEntityAsync(ToEntity(entry), TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>
    /// Writes a batch's new entries, a hundred per entity group transaction (one partition), then
    /// removes <paramref name="retired"/>: the old entries go only once the new ones are there, so
    /// a failure in between leaves a workspace with two entries (the old one stale), never none.
    /// </summary>
    public async Task WriteAsync(DueIndexBatch batch, IEnumerable<DueRefresh> retired, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        await TableTransactions.UpsertAllAsync(table, batch.Scheduled.Select(ToEntity), cancellationToken);
        await RemoveAllAsync(retired, cancellationToken);
    }

    /// <summary>True when the entry is there.</summary>
    public async Task<bool> ContainsAsync(DueRefresh entry, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        return (await table.GetEntityIfExistsAsync<RefreshIndexEntity>(RefreshIndexEntity.Partition, Key(entry), ["Kind"], cancellationToken)).HasValue;
    }

    /// <summary>Removes an entry; a missing one is fine.</summary>
    public async Task RemoveAsync(DueRefresh entry, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        await TableTransactions.DeleteIfUnchangedAsync(table, RefreshIndexEntity.Partition, Key(entry), ETag.All, cancellationToken);
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
            table, RefreshIndexEntity.Partition, entries.Select(e => (Key(e), ETag.All)), parallelism: 4, cancellationToken);
    }

    /// <summary>Entries due at or before <paramref name="now"/>, oldest first, at most <paramref name="max"/>.</summary>
    public async Task<IReadOnlyList<DueRefresh>> DueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        // "~" sorts after every subject character, so the bound includes every entry due at now itself.
        var upper = Ticks(now) + "~";
        var due = new List<DueRefresh>();
        var query = table.QueryAsync<RefreshIndexEntity>(
            e => e.PartitionKey == RefreshIndexEntity.Partition && e.RowKey.CompareTo(upper) <= 0,
            maxPerPage: Math.Min(max, 1000),
            cancellationToken: cancellationToken);
        await foreach (var entity in query)
        {
            // Rows of an older shape are left for the migration (and skipped until then).
            if (FromEntity(entity) is { } entry)
            {
                due.Add(entry);
            }

            if (due.Count >= max)
            {
                break;
            }
        }

        return due;
    }

    /// <summary>
    /// The row key: the due time to the tick, then the subject. Two due times of one subject share a
    /// key only when they are equal, so retiring an old entry can never remove a newer one; with
    /// seconds, a refresh in the same second as the one before overwrote its entry and then removed
    /// it, and the workspace was never swept again.
    /// </summary>
    internal static string Key(DueRefresh entry) => Ticks(entry.DueAt) + "_" + entry.Subject;

    /// <summary>True for a row key of the current shape (the migration removes the others).</summary>
    internal static bool IsCurrentKey(string rowKey) => rowKey.Length > 20 && rowKey[19] == '_' && rowKey.AsSpan(0, 19).IndexOfAnyExceptInRange('0', '9') < 0;

    private static string Ticks(DateTimeOffset at) => at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    private static RefreshIndexEntity ToEntity(DueRefresh entry) => entry switch
    {
        DueWorkspace w => new RefreshIndexEntity
        {
            RowKey = Key(entry), Kind = WorkspaceKind, DueAt = entry.DueAt,
            PartnerId = w.Workspace.PartnerId, WorkspaceId = w.Workspace.Id, WorkspaceKey = w.WorkspaceKey,
        },
        DueClientToken c => new RefreshIndexEntity
        {
            RowKey = Key(entry), Kind = ClientTokenKind, DueAt = entry.DueAt,
            ClientOwner = c.Token.Client.Owner, ClientName = c.Token.Client.Name, Environment = WireName.Of(c.Token.Environment),
        },
        _ => throw new ArgumentOutOfRangeException(nameof(entry)),
    };

    private static DueRefresh? FromEntity(RefreshIndexEntity e) => e.Kind switch
    {
        WorkspaceKind when e is { PartnerId: { } partner, WorkspaceId: { } id, WorkspaceKey: { } key } =>
            new DueWorkspace(new WorkspaceRef(partner, id), key, e.DueAt),
        ClientTokenKind when e is { ClientOwner: { } owner, ClientName: { } name } && WireName.TryParse<ProcoreEnvironment>(e.Environment, out var environment) =>
            new DueClientToken(new ClientTokenKey(new OAuthClientRef(owner, name), environment), e.DueAt),
        _ => null,
    };
}
