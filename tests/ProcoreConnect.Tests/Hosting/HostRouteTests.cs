using ProcoreConnect.Hosting;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Hosting;

/// <summary>
/// The checks the Functions host runs on every HTTP function when it loads the app. A function that
/// fails one is logged as an error and skipped, so in Azure its route answers 404 while every test
/// that drives the app directly still passes.
/// </summary>
public sealed class HostRouteTests
{
    // Azure/azure-functions-host, src/WebJobs.Script/Host/ScriptHost.cs, ValidateHttpFunction:
    //   string httpRoute = httpTrigger.Route.Trim('/').ToLowerInvariant();
    //   if (httpRoute.StartsWith("admin") || httpRoute.StartsWith("runtime"))
    //       throw new InvalidOperationException("The specified route conflicts with one or more built in routes.");
    // A prefix, not a path segment: "administration/…" and "runtimes/…" are refused too. The route
    // prefix ("api") is not part of what is checked.
    private static readonly string[] ReservedPrefixes = ["admin", "runtime"];

    [Fact]
    public void No_route_starts_with_a_prefix_the_host_reserves_for_its_built_in_routes()
    {
        var refused = AppEndpoints.Functions
            .Where(f => f.Trigger == FunctionTrigger.Http)
            .Where(f => ReservedPrefixes.Any(p => f.Route!.Trim('/').ToLowerInvariant().StartsWith(p, StringComparison.Ordinal)))
            .Select(f => $"{f.Name} ({f.Route})")
            .ToList();

        Assert.True(refused.Count == 0, "The Functions host would not load: " + string.Join(", ", refused));
    }

    [Fact]
    public void No_two_functions_share_a_route_and_a_method()
    {
        // ScriptHost.cs, HttpRoutesConflict: routes compared trimmed of '/' and case-insensitively; a
        // conflict when the methods intersect (no methods means every method). The second function
        // fails with "The route specified conflicts with the route defined by function '…'".
        var http = AppEndpoints.Functions.Where(f => f.Trigger == FunctionTrigger.Http).ToList();
        var conflicts = (
            from a in http
            from b in http
            where string.CompareOrdinal(a.Name, b.Name) < 0
                && string.Equals(a.Route!.Trim('/'), b.Route!.Trim('/'), StringComparison.OrdinalIgnoreCase)
                && (a.Methods.Count == 0 || b.Methods.Count == 0 || a.Methods.Intersect(b.Methods, StringComparer.OrdinalIgnoreCase).Any())
            select $"{a.Name} / {b.Name}").ToList();

        Assert.True(conflicts.Count == 0, "Conflicting routes: " + string.Join(", ", conflicts));
    }
}
