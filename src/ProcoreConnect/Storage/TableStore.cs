using System.Collections.Concurrent;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

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
    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _tables = new();

    /// <summary>The underlying service client, for health checks.</summary>
    public TableServiceClient Service => service;

    /// <summary>The client for a table, created if it does not exist yet.</summary>
    public async Task<TableClient> GetAsync(string name, CancellationToken cancellationToken)
    {
        var lazy = _tables.GetOrAdd(name, n => new Lazy<Task<TableClient>>(() => CreateAsync(n)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            // Do not cache a failure: storage may come back.
            _tables.TryRemove(new KeyValuePair<string, Lazy<Task<TableClient>>>(name, lazy));
            throw;
        }
    }

    private async Task<TableClient> CreateAsync(string name)
    {
        var client = service.GetTableClient(options.Value.TablePrefix + name);
        await client.CreateIfNotExistsAsync(CancellationToken.None);
        return client;
    }
}
