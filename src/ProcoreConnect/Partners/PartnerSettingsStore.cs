using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ProcoreConnect.Storage;

namespace ProcoreConnect.Partners;

/// <summary>
/// Keeps each partner's settings in one row, PartitionKey = RowKey = partner id (a constant row key
/// would make every point read a scan of the table on Azurite, which finds rows by RowKey first).
/// </summary>
public sealed class PartnerSettingsStore(TableStore tables, TimeProvider time)
{
    /// <summary>The table's name (before the configured prefix).</summary>
    public const string TableName = "PartnerSettings";

    /// <summary>The partner's settings, or <see cref="PartnerSettings.None"/>.</summary>
    public async Task<PartnerSettings> FindAsync(string partnerId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(partnerId, partnerId, cancellationToken: cancellationToken);
        return row.HasValue
            ? new PartnerSettings(JsonSerializer.Deserialize<List<string>>(row.Value!.GetString("AllowedReturnOrigins") ?? "[]")!, row.Value.GetDateTimeOffset("UpdatedAt"))
            : PartnerSettings.None;
    }

    /// <summary>Replaces the partner's settings.</summary>
    public async Task<PartnerSettings> SaveAsync(string partnerId, IReadOnlyList<string> allowedReturnOrigins, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var now = time.GetUtcNow();
        await table.UpsertEntityAsync(new TableEntity(partnerId, partnerId)
        {
            ["AllowedReturnOrigins"] = JsonSerializer.Serialize(allowedReturnOrigins),
            ["UpdatedAt"] = now,
        }, TableUpdateMode.Replace, cancellationToken);
        return new PartnerSettings(allowedReturnOrigins, now);
    }
}
