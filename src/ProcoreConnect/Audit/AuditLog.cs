using System.Globalization;
using System.Security.Cryptography;
using ProcoreConnect.Storage;

namespace ProcoreConnect.Audit;

/// <summary>The audit log of configuration changes, in Table Storage.</summary>
public sealed class AuditLog(TableStore tables, TimeProvider time, ILogger<AuditLog> logger)
{
    private long _lastTicks;

    /// <summary>The table's name (before the configured prefix).</summary>
    public const string TableName = "AuditLog";

    /// <summary>Records a change. A failure is logged, not thrown: the change itself already happened.</summary>
    public async Task RecordAsync(string scope, string actor, string action, string? details, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        try
        {
            var table = await tables.GetAsync(TableName, cancellationToken);
            await table.AddEntityAsync(new AuditEntity
            {
                PartitionKey = scope,
                // Inverted ticks: a partition reads newest first.
                RowKey = (DateTimeOffset.MaxValue.UtcTicks - NextTicks(at)).ToString("D19", CultureInfo.InvariantCulture)
                    + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)),
                Actor = actor,
                Action = action,
                Details = details,
                At = at,
            }, cancellationToken);
        }
#pragma warning disable CA1031 // See summary: the audit write must not undo or fail a completed change.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogError(ex, "Audit entry {Action} on {Scope} by {Actor} could not be written", action, scope, actor);
        }

        logger.LogInformation("Audit: {Actor} {Action} {Scope} {Details}", actor, action, scope, details);
    }

    // Strictly increasing within the process, so entries written in the same tick keep their order.
    private long NextTicks(DateTimeOffset at)
    {
        long last, next;
        do
        {
            last = Interlocked.Read(ref _lastTicks);
            next = Math.Max(at.UtcTicks, last + 1);
        }
        while (Interlocked.CompareExchange(ref _lastTicks, next, last) != last);
        return next;
    }

    /// <summary>The newest entries of a scope.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(string scope, int max, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var entries = new List<AuditEntry>();
        await foreach (var row in table.QueryAsync<AuditEntity>(e => e.PartitionKey == scope, maxPerPage: max, cancellationToken: cancellationToken))
        {
            entries.Add(new AuditEntry(row.PartitionKey, row.Actor, row.Action, row.Details, row.At));
            if (entries.Count >= max)
            {
                break;
            }
        }

        return entries;
    }
}
