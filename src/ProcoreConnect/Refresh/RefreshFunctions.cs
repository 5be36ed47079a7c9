using System.Text.Json;
using ProcoreConnect.Hosting;

namespace ProcoreConnect.Refresh;

/// <summary>The handlers of the <c>RefreshTokens</c> timer and the <c>RefreshWorkspace</c> and <c>RefreshPoisoned</c> queue functions.</summary>
public static class RefreshFunctions
{
    private const string QueueSetting = RefreshOptions.Section + ":" + nameof(RefreshOptions.QueueName);

    /// <summary>
    /// Maps the sweep (every 5 minutes unless <c>Schedules:RefreshTokens</c> says otherwise), the
    /// refresh queue's function and the poison queue's: the messages the host moved to
    /// "{queue}-poison" after host.json's maxDequeueCount failed tries.
    /// </summary>
    public static IEndpointRouteBuilder MapRefreshFunctions(this IEndpointRouteBuilder app)
    {
        app.MapTimer("RefreshTokens", "0 */5 * * * *", SweepAsync);
        app.MapQueue("RefreshWorkspace", QueueSetting, RefreshOneAsync);
        app.MapQueue("RefreshPoisoned", QueueSetting, GiveUpAsync, RefreshQueueClient.PoisonSuffix);
        return app;
    }

    /// <summary>Timer: sweep the due index.</summary>
    public static async Task SweepAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        await services.GetRequiredService<RefreshSweeper>().SweepAsync(cancellationToken);

    /// <summary>
    /// Queue: refresh the due entries a message names. A malformed message is completed (retrying
    /// cannot fix it), and so is one where anything was refreshed or skipped: its failed entries
    /// stay in the index, and the next sweep enqueues them again (as the timer path leaves them).
    /// Only a message whose every entry failed (storage or Procore down) goes back for a retry.
    /// The refreshes of every message the instance handles at once share <see cref="RefreshSlots"/>.
    /// </summary>
    public static async Task<bool> RefreshOneAsync(IServiceProvider services, JsonElement message, CancellationToken cancellationToken) =>
        await RefreshMessageAsync(services, message, services.GetRequiredService<RefreshSlots>().Limit, cancellationToken);

    /// <summary>
    /// Poison queue: a message whose every try failed. Its refreshes are marked failing and counted
    /// (<see cref="AbandonedRefreshes"/>); the message is completed, also when malformed. A failure to
    /// record (storage down) answers 500 and the host tries again (a poison queue has no poison queue
    /// of its own: after its last try the host leaves the message where it is).
    /// </summary>
    public static async Task<bool> GiveUpAsync(IServiceProvider services, JsonElement message, CancellationToken cancellationToken)
    {
        if (RefreshQueueClient.EntriesOf(message) is not { } entries)
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RefreshFunctions)).LogWarning("Dropping a malformed message of the refresh poison queue");
            return true;
        }

        await services.GetRequiredService<AbandonedRefreshes>().RecordAsync(entries, cancellationToken);
        return true;
    }

    /// <summary>As <see cref="RefreshOneAsync"/>, with refreshes limited by <paramref name="slots"/> shared among messages.</summary>
    internal static async Task<bool> RefreshMessageAsync(IServiceProvider services, JsonElement message, SemaphoreSlim? slots, CancellationToken cancellationToken)
    {
        var entries = RefreshQueueClient.EntriesOf(message);
        if (entries is null)
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RefreshFunctions)).LogWarning("Dropping a malformed refresh message");
            return true;
        }

        var summary = await services.GetRequiredService<RefreshSweeper>().RefreshAsync(entries, slots, cancellationToken);
        return summary.Failed < entries.Count;
    }
}
