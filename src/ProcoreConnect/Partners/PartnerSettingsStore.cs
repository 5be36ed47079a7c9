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
        if (!row.HasValue)
        {
            return PartnerSettings.None;
        }

        var found = row.Value!;
        return new PartnerSettings(JsonSerializer.Deserialize<List<string>>(found.GetString("AllowedReturnOrigins") ?? "[]")!, found.GetDateTimeOffset("UpdatedAt"))
        {
            DisplayName = found.GetString("DisplayName"),
            LogoUrl = found.GetString("LogoUrl") is { } logo ? new Uri(logo) : null,
            BrandColor = found.GetString("BrandColor"),
        };
    }

    /// <summary>Replaces the partner's settings with <paramref name="settings"/> (its time is now).</summary>
    public async Task<PartnerSettings> SaveAsync(string partnerId, PartnerSettings settings, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var saved = settings with { UpdatedAt = time.GetUtcNow() };
        await table.UpsertEntityAsync(new TableEntity(partnerId, partnerId)
        {
            ["AllowedReturnOrigins"] = JsonSerializer.Serialize(saved.AllowedReturnOrigins),
            ["DisplayName"] = saved.DisplayName,
            ["LogoUrl"] = saved.LogoUrl?.AbsoluteUri,
            ["BrandColor"] = saved.BrandColor,
            ["UpdatedAt"] = saved.UpdatedAt,
        }, TableUpdateMode.Replace, cancellationToken);
        return saved;
    }
}
