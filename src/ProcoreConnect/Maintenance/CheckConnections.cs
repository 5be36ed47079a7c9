using ProcoreConnect.Hosting;

namespace ProcoreConnect.Maintenance;

/// <summary>The <c>CheckConnections</c> timer function.</summary>
public static class CheckConnections
{
    /// <summary>Maps the timer, daily at 03:00 UTC unless <c>Schedules:CheckConnections</c> says otherwise.</summary>
    public static IEndpointRouteBuilder MapCheckConnections(this IEndpointRouteBuilder app)
    {
        app.MapTimer("CheckConnections", "0 0 3 * * *", RunAsync);
        return app;
    }

    /// <summary>Runs one check of every workspace.</summary>
    public static async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        await services.GetRequiredService<ConnectionChecker>().CheckAllAsync(cancellationToken);
}
