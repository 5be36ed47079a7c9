using System.Text.Json;

namespace ProcoreConnect.Refresh;

/// <summary>The handlers of the <c>RefreshTokens</c> timer and the <c>RefreshWorkspace</c> queue function.</summary>
public static class RefreshFunctions
{
    /// <summary>Timer: sweep the due index.</summary>
    public static async Task SweepAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        await services.GetRequiredService<RefreshSweeper>().SweepAsync(cancellationToken);

    /// <summary>Queue: refresh one due entry. A malformed message is completed (retrying cannot fix it).</summary>
    public static async Task<bool> RefreshOneAsync(IServiceProvider services, JsonElement message, CancellationToken cancellationToken)
    {
        var entry = RefreshQueueClient.EntryOf(message);
        if (entry is null)
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RefreshFunctions)).LogWarning("Dropping a malformed refresh message");
            return true;
        }

        var result = await services.GetRequiredService<RefreshSweeper>().RefreshAsync(entry, cancellationToken);
        return result != RefreshResult.Failed;
    }
}
