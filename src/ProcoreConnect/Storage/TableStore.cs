using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ProcoreConnect.Common;

namespace ProcoreConnect.Storage;

/// <summary>
/// Hands out table clients, creating each table once on first use.
/// <para>
/// Tables with one row per partition use the partition key as the row key too, never a
/// constant: Azurite finds a row by its RowKey first and then filters, so a constant RowKey
/// turns every point read and write into a scan of the whole table. Azure does not mind.
/// </para>
/// </summary>
public sealed class TableStore(TableServiceClient service, IOptions<StorageOptions> options)
{
    private readonly SingleFlightCache<string, TableClient> _tables = new(name => CreateAsync(service, options.Value.TablePrefix + name));

    /// <summary>The underlying service client, for health checks.</summary>
    public TableServiceClient Service => service;

    /// <summary>The client for a table, created if it does not exist yet.</summary>
    public Task<TableClient> GetAsync(string name, CancellationToken cancellationToken) => _tables.GetAsync(name, cancellationToken);

    private static async Task<TableClient> CreateAsync(TableServiceClient service, string table)
    {
        var client = service.GetTableClient(table);
        await client.CreateIfNotExistsAsync(CancellationToken.None);
        return client;
    }
}
