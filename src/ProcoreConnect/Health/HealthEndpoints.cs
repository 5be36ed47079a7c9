using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ProcoreConnect.Http;
using ProcoreConnect.Security;

namespace ProcoreConnect.Health;

/// <summary><c>GET /api/health</c>: storage and secret-store reachability.</summary>
public static class HealthEndpoints
{
    /// <summary>
    /// 200 when every dependency answers, 503 otherwise, with one entry per check. Anonymous callers
    /// get the last check's answer (<see cref="HealthReportCache"/>); <c>?deep=true</c> checks now
    /// and is for admins only (401 without credentials, 403 for anyone else), since each check costs
    /// a secret-store and a storage request.
    /// </summary>
    public static async Task<Results<JsonHttpResult<HealthResponse>, ValidationProblem, ProblemHttpResult>> GetHealth(
        string? deep, ClaimsPrincipal user, HealthReportCache cache, CancellationToken cancellationToken)
    {
        if (deep is not (null or "true" or "false"))
        {
            return Problems.Field("deep", "Must be true or false.");
        }

        var fresh = deep == "true";
        if (fresh && !user.IsInRole(Roles.Admin))
        {
            return user.Identity?.IsAuthenticated == true
                ? TypedResults.Problem("A deep health check is for admins; GET /api/health answers the last check.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden")
                : TypedResults.Problem("A deep health check needs admin credentials; GET /api/health answers the last check.", statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
        }

        var (report, checkedAt) = await cache.GetAsync(fresh, cancellationToken);
        var body = new HealthResponse(
            Status(report.Status),
            report.Entries.ToDictionary(
                e => e.Key,
                e => new HealthCheckResponse(Status(e.Value.Status), e.Value.Description, Math.Round(e.Value.Duration.TotalMilliseconds, 1))),
            checkedAt);
        return TypedResults.Json(
            body, statusCode: report.Status == HealthStatus.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static string Status(HealthStatus status) => status.ToString().ToLowerInvariant();
}
