using Microsoft.Extensions.Options;
using ProcoreConnect.Hosting;

namespace ProcoreConnect.ProcoreCalls;

/// <summary>Timer function: deletes logged Procore calls older than <see cref="ProcoreCallOptions.Retention"/>.</summary>
public static class PurgeProcoreCalls
{
    /// <summary>Maps the timer, hourly unless <c>Schedules:PurgeProcoreCalls</c> says otherwise.</summary>
    public static IEndpointRouteBuilder MapPurgeProcoreCalls(this IEndpointRouteBuilder app)
    {
        app.MapTimer("PurgeProcoreCalls", "0 17 * * * *", RunAsync);
        return app;
    }

    /// <summary>Runs one purge.</summary>
    public static Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var retention = services.GetRequiredService<IOptions<ProcoreCallOptions>>().Value.Retention;
        return services.GetRequiredService<ProcoreCallLog>().ExpireAsync(now - retention, cancellationToken);
    }
}
