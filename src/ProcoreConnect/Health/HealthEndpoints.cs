using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ProcoreConnect.Health;

/// <summary><c>GET /api/health</c>: storage and secret-store reachability.</summary>
public static class HealthEndpoints
{
    /// <summary>200 when every dependency answers, 503 otherwise, with one entry per check.</summary>
    public static async Task<JsonHttpResult<HealthResponse>> GetHealth(HealthCheckService health, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(cancellationToken);
        var body = new HealthResponse(
            Status(report.Status),
            report.Entries.ToDictionary(
                e => e.Key,
                e => new HealthCheckResponse(Status(e.Value.Status), e.Value.Description, Math.Round(e.Value.Duration.TotalMilliseconds, 1))));
        return TypedResults.Json(
            body, statusCode: report.Status == HealthStatus.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static string Status(HealthStatus status) => status.ToString().ToLowerInvariant();
}
