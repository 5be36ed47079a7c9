using System.Collections.Concurrent;

namespace ProcoreConnect.Tokens;

/// <summary>
/// The new due-index entries of one batch of refreshes (a lease batch of the sweep, or one queue
/// message), written together when the batch ends, a hundred per transaction, instead of one
/// request per refresh. Crash-safe because the old entries are removed only after the new ones
/// are written: a batch lost between a row write and this write leaves the old entry, which the
/// next sweep finds stale and replaces with the row's own (see <see cref="Refresh.DueEntryRefresher"/>).
/// </summary>
public sealed class DueIndexBatch
{
    private readonly ConcurrentQueue<DueRefresh> _scheduled = new();

    /// <summary>Adds an entry to write when the batch ends.</summary>
    public void Schedule(DueRefresh entry) => _scheduled.Enqueue(entry);

    /// <summary>The entries scheduled so far.</summary>
    public IReadOnlyCollection<DueRefresh> Scheduled => _scheduled;
}
