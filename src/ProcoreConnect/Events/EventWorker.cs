using Microsoft.Extensions.Options;
using ProcoreConnect.Hosting;

namespace ProcoreConnect.Events;

/// <summary>
/// Delivers events as soon as they are recorded when the app runs on its own, and retries due ones
/// every 30 seconds; under the Functions host the <c>DeliverEvents</c> timer does the retries.
/// </summary>
public sealed class EventWorker(IServiceProvider services, IConfiguration configuration, IOptions<SchedulerOptions> scheduler, ILogger<EventWorker> logger)
    : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!CustomHandlerPort.RunsLocalWork(configuration, scheduler.Value))
        {
            return;
        }

        // Resolved here, not in the constructor: under the Functions host the worker never needs them.
        var publisher = services.GetRequiredService<EventPublisher>();
        var dispatcher = services.GetRequiredService<EventDispatcher>();
        while (!stoppingToken.IsCancellationRequested)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            wait.CancelAfter(TimeSpan.FromSeconds(30));
            try
            {
                await publisher.Pending.Reader.ReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // The periodic retry.
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await dispatcher.DeliverDueAsync(stoppingToken);
            }
#pragma warning disable CA1031 // The worker outlives a storage hiccup; events wait in the outbox.
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                logger.LogWarning(ex, "Event delivery pass failed");
            }
        }
    }
}
