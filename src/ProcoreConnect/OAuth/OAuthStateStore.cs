using System.Security.Cryptography;
using System.Text;
using Azure;
using ProcoreConnect.Storage;

namespace ProcoreConnect.OAuth;

/// <summary>Keeps pending states; taking one deletes it, so each works once.</summary>
public sealed class OAuthStateStore(TableStore tables, TimeProvider time)
{
    /// <summary>The table's name (before the configured prefix).</summary>
    public const string TableName = "OAuthStates";

    /// <summary>Saves a new state.</summary>
    public async Task SaveAsync(OAuthState state, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        await table.AddEntityAsync(new OAuthStateEntity
        {
            PartitionKey = Hash(state.Value),
            RowKey = Hash(state.Value),
            PartnerId = state.Workspace.PartnerId,
            WorkspaceId = state.Workspace.Id,
            WorkspaceKey = state.WorkspaceKey,
            RedirectUri = state.RedirectUri.ToString(),
            CodeVerifier = state.CodeVerifier,
            ReturnUrl = state.ReturnUrl?.ToString(),
            ConnectLink = state.Link,
            BrowserBinding = state.BrowserBinding,
            ExpiresAt = state.ExpiresAt,
        }, cancellationToken);
    }

    /// <summary>The pending state, without taking it; null when it is unknown or expired.</summary>
    public async Task<OAuthState?> FindAsync(string value, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var found = await table.GetEntityIfExistsAsync<OAuthStateEntity>(Hash(value), Hash(value), cancellationToken: cancellationToken);
        return found.HasValue && found.Value!.ExpiresAt > time.GetUtcNow() ? ToState(value, found.Value) : null;
    }

    /// <summary>
    /// Takes a state: returns it and deletes it, or null when it is unknown, already taken
    /// (a replay, or a concurrent second use: only one delete can win) or expired.
    /// </summary>
    public async Task<OAuthState?> TakeAsync(string value, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var found = await table.GetEntityIfExistsAsync<OAuthStateEntity>(Hash(value), Hash(value), cancellationToken: cancellationToken);
        if (!found.HasValue)
        {
            return null;
        }

        var row = found.Value!;
        try
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return null;
        }

        return row.ExpiresAt <= time.GetUtcNow() ? null : ToState(value, row);
    }

    private static OAuthState ToState(string value, OAuthStateEntity row) =>
        new()
        {
            Value = value,
            Workspace = new Workspaces.WorkspaceRef(row.PartnerId, row.WorkspaceId),
            WorkspaceKey = row.WorkspaceKey,
            RedirectUri = new Uri(row.RedirectUri),
            CodeVerifier = row.CodeVerifier,
            ReturnUrl = row.ReturnUrl is null ? null : new Uri(row.ReturnUrl),
            Link = row.ConnectLink,
            BrowserBinding = row.BrowserBinding,
            ExpiresAt = row.ExpiresAt,
        };

    /// <summary>Deletes states that expired unused (a person who never came back); returns how many.</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var purged = 0;
        var filter = Azure.Data.Tables.TableClient.CreateQueryFilter($"ExpiresAt lt {time.GetUtcNow()}");
        await foreach (var row in table.QueryAsync<OAuthStateEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await TableTransactions.DeleteIfUnchangedAsync(table, row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
            purged++;
        }

        return purged;
    }

    /// <summary>How a state (or a connect link's token) is stored: its SHA-256 in hex, never the value.</summary>
    public static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
