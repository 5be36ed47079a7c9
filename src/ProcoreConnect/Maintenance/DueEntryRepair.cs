using ProcoreConnect.Tokens;

namespace ProcoreConnect.Maintenance;

/// <summary>Puts back a refresh index entry found missing: a token without one would never be swept.</summary>
public sealed class DueEntryRepair(RefreshDueIndex index, ILogger<DueEntryRepair> logger)
{
    /// <summary>Restores <paramref name="entry"/> if it is missing (logged); true when it was.</summary>
    public async Task<bool> RestoreAsync(DueRefresh entry, CancellationToken cancellationToken)
    {
        if (await index.ContainsAsync(entry, cancellationToken))
        {
            return false;
        }

        logger.LogWarning("Refresh index entry of {Subject} was missing; restored", entry.Subject);
        await index.ScheduleAsync(entry, cancellationToken);
        return true;
    }
}
