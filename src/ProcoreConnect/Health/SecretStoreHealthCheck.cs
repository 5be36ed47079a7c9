using Microsoft.Extensions.Diagnostics.HealthChecks;
using ProcoreConnect.Secrets;

namespace ProcoreConnect.Health;

/// <summary>The secret store answers and accepts this app's identity.</summary>
public sealed class SecretStoreHealthCheck(ISecretStore secrets) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await secrets.CheckAsync(cancellationToken);
            return HealthCheckResult.Healthy($"Secret store ({secrets.Kind}) reachable.");
        }
#pragma warning disable CA1031 // A health check reports failures; it does not throw them.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return HealthCheckResult.Unhealthy($"Secret store ({secrets.Kind}) unreachable: {ex.GetType().Name}.");
        }
    }
}
