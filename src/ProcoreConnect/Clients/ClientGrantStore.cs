using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ProcoreConnect.Common;
using ProcoreConnect.Procore;
using ProcoreConnect.Storage;

namespace ProcoreConnect.Clients;

/// <summary>Keeps the operator's grants on public clients: PartitionKey = client name, RowKey = partner id.</summary>
public sealed class ClientGrantStore(TableStore tables, TimeProvider time)
{
    /// <summary>The table's name (before the configured prefix).</summary>
    public const string TableName = "ClientGrants";

    /// <summary>The partner's grant on the public client, or null when the operator set none.</summary>
    public async Task<ClientGrant?> FindAsync(string client, string partnerId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(client, partnerId, cancellationToken: cancellationToken);
        return row.HasValue ? ToGrant(row.Value!) : null;
    }

    /// <summary>Sets (replaces) the partner's grant on the public client.</summary>
    public async Task<ClientGrant> SaveAsync(
        string client, string partnerId, IReadOnlyList<long> companyIds, IReadOnlyList<ProcoreEnvironment>? environments, CancellationToken cancellationToken)
    {
        var grant = new ClientGrant(client, partnerId, [.. companyIds.Distinct().Order()], environments is null ? null : [.. environments.Distinct().Order()], time.GetUtcNow());
        var table = await tables.GetAsync(TableName, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(client, partnerId)
        {
            ["CompanyIds"] = JsonSerializer.Serialize(grant.CompanyIds),
            ["Environments"] = grant.Environments is null ? null : JsonSerializer.Serialize(grant.Environments.Select(WireName.Of)),
            ["UpdatedAt"] = grant.UpdatedAt,
        }, TableUpdateMode.Replace, cancellationToken);
        return grant;
    }

    /// <summary>The partners holding a grant on the public client (one partition).</summary>
    public async Task<IReadOnlyList<string>> GranteesAsync(string client, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var partners = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {client}"), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            partners.Add(row.RowKey);
        }

        return partners;
    }

    /// <summary>Removes the partner's grant; false when there was none.</summary>
    public async Task<bool> DeleteAsync(string client, string partnerId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        try
        {
            await table.DeleteEntityAsync(client, partnerId, ETag.All, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == StatusCodes.Status404NotFound)
        {
            return false;
        }
    }

    /// <summary>Removes every grant on the client (it is being deleted: a client re-created under its name starts with none).</summary>
    public async Task DeleteAllAsync(string client, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {client}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await TableTransactions.DeleteIfUnchangedAsync(table, row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
        }
    }

    private static ClientGrant ToGrant(TableEntity row) =>
        new(row.PartitionKey, row.RowKey,
            JsonSerializer.Deserialize<List<long>>(row.GetString("CompanyIds") ?? "[]")!,
            row.GetString("Environments") is { } environments ? [.. JsonSerializer.Deserialize<List<string>>(environments)!.Select(WireName.Parse<ProcoreEnvironment>)] : null,
            row.GetDateTimeOffset("UpdatedAt") ?? default);
}
