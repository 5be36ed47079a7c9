using System.Text.Json;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Options;
using ProcoreConnect.Hosting;

namespace ProcoreConnect.Refresh;

/// <summary>
/// Runs the <c>RefreshWorkspace</c> and <c>RefreshPoisoned</c> queue functions when the app runs on
/// its own (Azurite's queues locally); under the Functions host the host's queue triggers do this
/// and the worker stays idle. Like the host with this app's host.json, it puts a failed message
/// back for <see cref="RefreshOptions.RetryDelay"/> and, after
/// <see cref="RefreshOptions.MaxDequeueCount"/> tries, moves it to the poison queue.
/// </summary>
public sealed class LocalQueueWorker(
    IServiceScopeFactory scopes,
    IServiceProvider services,
    IConfiguration configuration,
    IOptions<RefreshOptions> refresh,
    IOptions<SchedulerOptions> scheduler,
    TimeProvider time,
    ILogger<LocalQueueWorker> logger) : BackgroundService
{
    private static readonly TimeSpan Visibility = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(2);

    // Resolved on first use: under the Functions host this worker stays idle and needs no queue client.
    private RefreshQueueClient Queue => services.GetRequiredService<RefreshQueueClient>();

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!refresh.Value.UseQueue || !CustomHandlerPort.RunsLocalWork(configuration, scheduler.Value))
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await DrainAsync(stoppingToken) == 0)
                {
                    await Task.Delay(IdlePoll, time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The worker outlives a storage hiccup; the messages wait in the queue.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.LogWarning(ex, "Local queue worker could not read the refresh queue");
                await Task.Delay(IdlePoll, time, stoppingToken);
            }
        }
    }

    /// <summary>
    /// Handles messages until a receive finds none, then those of the poison queue; returns how many
    /// it handled. Like the host, it runs several messages at once, each taken as the one before it is
    /// done (no batch waits for its slowest message): enough that
    /// <see cref="RefreshOptions.MaxConcurrency"/> refreshes are in flight, plus one whose leases are
    /// taken while the others finish, all sharing the instance's <see cref="RefreshSlots"/>.
    /// </summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var concurrency = Math.Max(1, refresh.Value.MaxConcurrency);
        var perMessage = Math.Clamp(refresh.Value.EntriesPerMessage, 1, Storage.TableTransactions.MaxOperations);
        var slots = services.GetRequiredService<RefreshSlots>().Limit;
        var handled = await Task.WhenAll(Enumerable.Range(0, ((concurrency + perMessage - 1) / perMessage) + 1)
            .Select(_ => HandleUntilEmptyAsync(slots, cancellationToken)));
        return handled.Sum() + await HandlePoisonedAsync(cancellationToken);
    }

    private async Task<int> HandleUntilEmptyAsync(SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        var queue = Queue;
        var tries = refresh.Value.MaxDequeueCount;
        var handled = 0;
        while (await queue.ReceiveAsync(1, Visibility, cancellationToken) is [var message])
        {
            handled++;
            // As the host: a message past its tries (its handler never answered) is not run again.
            if (message.DequeueCount > tries)
            {
                await queue.PoisonAsync(message, cancellationToken);
                continue;
            }

            await using var scope = scopes.CreateAsyncScope();
            var done = await RefreshFunctions.RefreshMessageAsync(scope.ServiceProvider, Body(message), slots, cancellationToken);
            if (done)
            {
                await queue.DeleteAsync(message, cancellationToken);
            }
            else if (message.DequeueCount >= tries)
            {
                logger.LogWarning("A refresh message failed {Tries} times; moving it to the poison queue", message.DequeueCount);
                await queue.PoisonAsync(message, cancellationToken);
            }
            else
            {
                await queue.RetryLaterAsync(message, refresh.Value.RetryDelay, cancellationToken);
            }
        }

        return handled;
    }

    private async Task<int> HandlePoisonedAsync(CancellationToken cancellationToken)
    {
        var queue = Queue;
        var handled = 0;
        while (await queue.ReceivePoisonedAsync(1, Visibility, cancellationToken) is [var message])
        {
            await using var scope = scopes.CreateAsyncScope();
            await RefreshFunctions.GiveUpAsync(scope.ServiceProvider, Body(message), cancellationToken);
            await queue.DeletePoisonedAsync(message, cancellationToken);
            handled++;
        }

        return handled;
    }

    // The message text as a JSON string: RefreshQueueClient reads it like the host's binding.
    private static JsonElement Body(QueueMessage message) => JsonSerializer.SerializeToElement(message.Body.ToString());
}
