using ProcoreConnect.Hosting;

namespace ProcoreConnect.Events;

/// <summary>The <c>DeliverEvents</c> timer function: retries due event deliveries.</summary>
public static class DeliverEvents
{
    /// <summary>Maps the timer, every minute unless <c>Schedules:DeliverEvents</c> says otherwise.</summary>
    public static IEndpointRouteBuilder MapDeliverEvents(this IEndpointRouteBuilder app)
    {
        app.MapTimer("DeliverEvents", "0 * * * * *", RunAsync);
        return app;
    }

    /// <summary>One delivery pass.</summary>
    public static async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        await services.GetRequiredService<EventDispatcher>().DeliverDueAsync(cancellationToken);
}
