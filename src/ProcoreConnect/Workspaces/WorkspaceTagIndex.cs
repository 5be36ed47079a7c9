using System.Text;
using Azure.Data.Tables;
using ProcoreConnect.Storage;

namespace ProcoreConnect.Workspaces;

/// <summary>
/// Finds a partner's workspaces by tag without reading them all: table <c>WorkspaceTags</c>, one
/// row per tag of a workspace, PartitionKey = partner, RowKey = <c>{key}:{base64url(SHA-256(value))}:{id}</c>,
/// so one tag's workspaces are one range of one partition, and a key stays within Table Storage's
/// 1 KiB whatever the value's script (256 characters of UTF-8 can take 1,024 characters of base64). The index may hold more than the rows
/// (entries are added before a row is written and removed after), never less; every hit is checked
/// against the workspace row, so an entry left by a crash or a deleted workspace finds nothing.
/// </summary>
public sealed class WorkspaceTagIndex(TableStore tables)
{
    /// <summary>The table's name (before the configured prefix).</summary>
    public const string TableName = "WorkspaceTags";

    /// <summary>Adds an entry for every tag (existing ones are overwritten).</summary>
    public async Task AddAsync(WorkspaceRef workspace, IEnumerable<KeyValuePair<string, string>> tags, CancellationToken cancellationToken)
    {
        var actions = tags.Select(t => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(workspace.PartnerId, RowKey(t, workspace.Id))
        {
            ["WorkspaceId"] = workspace.Id,
        })).ToList();
        if (actions.Count > 0)
        {
            // At most WorkspaceTags.MaxTags entries, one partition: one transaction.
            await (await tables.GetAsync(TableName, cancellationToken)).SubmitTransactionAsync(actions, cancellationToken);
        }
    }

    /// <summary>Removes the entries of these tags (missing ones are fine).</summary>
    public async Task RemoveAsync(WorkspaceRef workspace, IEnumerable<KeyValuePair<string, string>> tags, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        await TableTransactions.DeleteAllAsync(
            table, workspace.PartnerId, tags.Select(t => (RowKey(t, workspace.Id), Azure.ETag.All)), 1, cancellationToken);
    }

    /// <summary>One page of the ids of a partner's workspaces indexed under <paramref name="tag"/> (to be checked against their rows).</summary>
    public async Task<(IReadOnlyList<string> Ids, string? ContinuationToken)> FindAsync(
        string partnerId, KeyValuePair<string, string> tag, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var prefix = tag.Key + ":" + Encode(tag.Value) + ":";
        var end = prefix[..^1] + ";"; // ':' + 1: every key that starts with the prefix sorts below
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partnerId} and RowKey ge {prefix} and RowKey lt {end}");
        await foreach (var page in table.QueryAsync<TableEntity>(filter, pageSize, ["WorkspaceId"], cancellationToken).AsPages(continuationToken, pageSize))
        {
            return ([.. page.Values.Select(e => e.GetString("WorkspaceId"))], page.ContinuationToken);
        }

        return ([], null);
    }

    // Table keys refuse '/', '\', '#', '?' and control characters; base64url has none of them, nor ':'.
    private static string RowKey(KeyValuePair<string, string> tag, string id) => tag.Key + ":" + Encode(tag.Value) + ":" + id;

    // A digest, not the value: 43 characters for any value (hits are checked against the row anyway).
    private static string Encode(string value) => System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
