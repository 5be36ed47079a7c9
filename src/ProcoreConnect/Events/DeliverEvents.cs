namespace ProcoreConnect.Events;

/// <summary>The <c>DeliverEvents</c> timer function: retries due event deliveries.</summary>
public static class DeliverEvents
{
    /// <summary>One delivery pass.</summary>
    public static async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        await services.GetRequiredService<EventDispatcher>().DeliverDueAsync(cancellationToken);
}
