using System.Globalization;
using ProcoreSimulator.State;

namespace ProcoreSimulator.Rest;

/// <summary>
/// The few REST endpoints a connection check needs: <c>/rest/v1.0/me</c>, <c>/companies</c> and
/// <c>/projects</c>. Every call reports its rate limit in <c>X-Rate-Limit-*</c>; a DMSA token must
/// name one of its app's companies in <c>Procore-Company-Id</c>, even on <c>/me</c> and <c>/companies</c>.
/// </summary>
public static class RestEndpoints
{
    /// <summary>Maps <c>/rest/v1.0/…</c>.</summary>
    public static RouteGroupBuilder MapRest(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/rest/v1.0");
        group.MapGet("/me", (HttpContext http, SimulatorState state) =>
            Call(http, state, requirePermissions: false, (client, _) => Results.Json(new { id = 42, login = $"{client.ClientId}@example.com", name = "Simulated User" })));
        group.MapGet("/companies", (HttpContext http, SimulatorState state) =>
            Call(http, state, requirePermissions: true, (client, _) =>
                Results.Json(client.Companies.Select(c => new { id = c.Id, name = c.Name, is_active = c.IsActive }))));
        group.MapGet("/projects", (HttpContext http, SimulatorState state, long? company_id) =>
            Call(http, state, requirePermissions: true, (client, _) =>
                client.Companies.FirstOrDefault(c => c.Id == company_id) is { } company
                    ? Results.Json((company.Projects ?? []).Select(id => new { id, name = $"Project {id}" }))
                    : Results.Json(new { errors = "company_id must name a company of yours." }, statusCode: 404)));
        return group;
    }

    /// <summary>
    /// Answers a REST call as Procore would: the token checked, a queued failure (with
    /// <c>Retry-After</c>), the rate limit counted and reported (429 with <c>Retry-After</c> when over),
    /// a DMSA's company checked; then <paramref name="answer"/>.
    /// </summary>
    internal static async Task<IResult> Call(HttpContext http, SimulatorState state, bool requirePermissions, Func<SimulatedClient, TokenGrant, IResult> answer)
    {
        if (state.Faults.ApiLatencyMs > 0)
        {
            await Task.Delay(state.Faults.ApiLatencyMs, http.RequestAborted);
        }

        var header = http.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : null;
        var grant = state.Authenticate(token);
        var client = state.Client(grant?.ClientId);
        if (grant is null || client is null)
        {
            return Results.Json(new { errors = "Unauthorized" }, statusCode: 401);
        }

        if (state.NextApiFailure() is { } failure)
        {
            http.Response.Headers.RetryAfter = state.Faults.ApiRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return Results.Json(new { errors = "Service Unavailable" }, statusCode: failure);
        }

        var companyHeader = http.Request.Headers["Procore-Company-Id"].ToString();
        state.RecordCompanyHeader(companyHeader);
        var limit = state.CountApiCall(token!);
        http.Response.Headers["X-Rate-Limit-Limit"] = limit.Limit.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["X-Rate-Limit-Remaining"] = Math.Max(limit.Remaining, 0).ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["X-Rate-Limit-Reset"] = limit.ResetAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        if (limit.Over)
        {
            var wait = Math.Max(1, (int)Math.Ceiling((limit.ResetAt - http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow()).TotalSeconds));
            http.Response.Headers.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
            return Results.Json(new { errors = "Rate limit exceeded" }, statusCode: 429);
        }

        if (grant.ServiceAccount)
        {
            // A DMSA exists only in the companies that installed its app, and must say which one it acts in.
            if (!long.TryParse(companyHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var companyId))
            {
                return Results.Json(new { errors = "Procore-Company-Id header is required." }, statusCode: 400);
            }

            if (client.Companies.All(c => c.Id != companyId))
            {
                return Results.Json(new { errors = "The app is not installed in this company." }, statusCode: 403);
            }
        }

        if (requirePermissions && !client.HasPermissions)
        {
            return Results.Json(new { errors = "You do not have permission to access this resource." }, statusCode: 403);
        }

        return answer(client, grant);
    }
}
