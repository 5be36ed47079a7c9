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
            await foreach (var _ in table.QueryAsync<Azure.Data.Tables.TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken).AsPages(pageSizeHint: 1))
            {
                break;
            }

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
