using Microsoft.Extensions.Diagnostics.HealthChecks;
using ProcoreConnect.Storage;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Health;

/// <summary>Table Storage answers a read of the workspace table.</summary>
public sealed class StorageHealthCheck(TableStore tables) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var table = await tables.GetAsync(WorkspaceRepository.TableName, cancellationToken);
            // A point read of a row that never exists: one cheap request anywhere (a query, even of
            // one row, scans the whole table in Azurite).
            await table.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>("health-probe", "health-probe", ["PartitionKey"], cancellationToken);

            return HealthCheckResult.Healthy("Table Storage reachable.");
        }
#pragma warning disable CA1031 // A health check reports failures; it does not throw them.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return HealthCheckResult.Unhealthy($"Table Storage unreachable: {ex.GetType().Name}.");
        }
    }
}
