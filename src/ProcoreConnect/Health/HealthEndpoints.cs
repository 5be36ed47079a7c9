using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ProcoreConnect.Http;
using ProcoreConnect.OpenApi;
using ProcoreConnect.Security;
using static ProcoreConnect.OpenApi.ResponseDoc;

namespace ProcoreConnect.Health;

/// <summary><c>GET /api/health</c>: storage and secret-store reachability.</summary>
public static class HealthEndpoints
{
    /// <summary>Maps <c>GET /api/health</c>, anonymous: a probe carries no credentials.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder api)
    {
        api.MapGet("health", GetHealth)
            .WithName("Health")
            .WithTags(ApiTags.Service)
            .WithSummary("Storage and secret-store reachability")
            .WithDescription("For probes: anonymous, answered from the last check (as of `checkedAt`) for `Health:CacheDuration` (15 s), so the "
                + "dependencies are asked at most once per window; the first check runs in the background while the app starts. "
                + "`?deep=true` checks now and is for admins only.")
            .WithResponses(static () =>
            [
                Json(StatusCodes.Status200OK, "Every dependency answers.", Examples.Healthy),
                Invalid(Problems.Field("deep", "Must be true or false."), "`deep` is neither `true` nor `false`."),
                Problem(TypedResults.Problem("A deep health check needs admin credentials; GET /api/health answers the last check.", statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized"),
                    "`?deep=true` without credentials."),
                Problem(TypedResults.Problem("A deep health check is for admins; GET /api/health answers the last check.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden"),
                    "`?deep=true` with a partner's credentials."),
                Json(StatusCodes.Status503ServiceUnavailable, "A dependency does not answer; `checks` says which.", Examples.Unhealthy),
            ]);
        return api;
    }

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

    private static class Examples
    {
        public static readonly HealthResponse Healthy = new("healthy", new Dictionary<string, HealthCheckResponse>
        {
            ["storage"] = new("healthy", "Table Storage reachable.", 5.8),
            ["secretStore"] = new("healthy", "Secret store (key-vault) reachable.", 8.6),
        }, ApiExamples.Later);

        public static readonly HealthResponse Unhealthy = new("unhealthy", new Dictionary<string, HealthCheckResponse>
        {
            ["storage"] = new("healthy", "Table Storage reachable.", 5.8),
            ["secretStore"] = new("unhealthy", "Secret store (key-vault) unreachable: AuthenticationFailedException.", 5000),
        }, ApiExamples.Later);
    }
}
