using ProcoreSimulator.State;

namespace ProcoreSimulator.Rest;

/// <summary>The few REST endpoints a connection check needs: <c>/rest/v1.0/me</c> and <c>/rest/v1.0/companies</c>.</summary>
public static class RestEndpoints
{
    /// <summary>Maps <c>/rest/v1.0/…</c>.</summary>
    public static RouteGroupBuilder MapRest(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/rest/v1.0");
        group.MapGet("/me", (HttpContext http, SimulatorState state) =>
            Call(http, state, requirePermissions: false, client => Results.Json(new { id = 42, login = $"{client.ClientId}@example.com", name = "Simulated User" })));
        group.MapGet("/companies", (HttpContext http, SimulatorState state) =>
            Call(http, state, requirePermissions: true, client => Results.Json(client.Companies.Select(c => new { id = c.Id, name = c.Name, is_active = true }))));
        group.MapGet("/projects", (HttpContext http, SimulatorState state) =>
            Call(http, state, requirePermissions: true, client => Results.Json(client.Projects.Select(id => new { id, name = $"Project {id}" }))));
        return group;
    }

    private static async Task<IResult> Call(HttpContext http, SimulatorState state, bool requirePermissions, Func<SimulatedClient, IResult> answer)
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

        state.RecordCompanyHeader(http.Request.Headers["Procore-Company-Id"].ToString());
        var remaining = state.CountApiCall(token!);
        var limit = state.Faults.RateLimitPerHour;
        http.Response.Headers["X-Rate-Limit-Limit"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.Headers["X-Rate-Limit-Remaining"] = Math.Max(remaining, 0).ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.Headers["X-Rate-Limit-Reset"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (remaining < 0)
        {
            return Results.Json(new { errors = "Rate limit exceeded" }, statusCode: 429);
        }

        if (requirePermissions && !client.HasPermissions)
        {
            return Results.Json(new { errors = "You do not have permission to access this resource." }, statusCode: 403);
        }

        return answer(client);
    }
}
