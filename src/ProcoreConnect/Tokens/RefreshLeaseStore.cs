using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ProcoreConnect.Storage;

namespace ProcoreConnect.Tokens;

/// <summary>
/// Leases in Table Storage so that, across instances, one refresh per subject (a workspace, or a
/// client's shared token) runs at a time.
/// Taking a lease is a conditional insert, or a conditional replace of an expired one. The sweep
/// takes and releases its leases a hundred per entity group transaction.
/// </summary>
public sealed class RefreshLeaseStore(TableStore tables, TimeProvider time, IOptions<TokenOptions> options)
{
    /// <summary>The table's name (before the configured prefix).</summary>
    public const string TableName = "Leases";

    // How often a caller waiting for another holder's lease tries again.
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    /// <summary>Takes the subject's lease for <paramref name="owner"/>; null when someone else holds it.</summary>
    public async Task<RefreshLease?> TryAcquireAsync(string subject, string owner, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var lease = NewLease(subject, owner);
        try
        {
            // Usually nobody holds it: one conditional insert.
            var added = await table.AddEntityAsync(lease, cancellationToken);
            return Held(lease, added.Headers.ETag);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Held, or left behind by a crashed holder: take it over only once it has expired.
        }

        var existing = await table.GetEntityIfExistsAsync<RefreshLeaseEntity>(RefreshLeaseEntity.Partition, subject, cancellationToken: cancellationToken);
        if (!existing.HasValue || existing.Value!.ExpiresAt > time.GetUtcNow())
        {
            return null;
        }

        try
        {
            var replaced = await table.UpdateEntityAsync(lease, existing.Value.ETag, TableUpdateMode.Replace, cancellationToken);
            return Held(lease, replaced.Headers.ETag);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return null;
        }
    }

    /// <summary>
    /// Takes the leases of up to <see cref="TableTransactions.MaxOperations"/> distinct subjects: one
    /// transaction when nobody holds any of them (the usual case), else one by one. Returns the
    /// leases taken, by subject.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, RefreshLease>> TryAcquireAllAsync(IReadOnlyList<string> subjects, string owner, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(subjects.Count, TableTransactions.MaxOperations);
        var table = await tables.GetAsync(TableName, cancellationToken);
        var wanted = subjects.Select(s => NewLease(s, owner)).ToList();
        try
        {
            var added = await table.SubmitTransactionAsync(wanted.Select(l => new TableTransactionAction(TableTransactionActionType.Add, l)), cancellationToken);
            return wanted.Zip(added.Value).ToDictionary(p => p.First.RowKey, p => Held(p.First, p.Second.Headers.ETag), StringComparer.Ordinal);
        }
        catch (TableTransactionFailedException)
        {
            // One of them is held (or left behind): nothing of the transaction was written.
        }

        var held = new Dictionary<string, RefreshLease>(StringComparer.Ordinal);
        foreach (var subject in subjects)
        {
            if (await TryAcquireAsync(subject, owner, cancellationToken) is { } lease)
            {
                held[subject] = lease;
            }
        }

        return held;
    }

    /// <summary>
    /// Runs <paramref name="work"/> holding <paramref name="subject"/>'s lease, released afterwards.
    /// While another holder keeps it, polls until <see cref="TokenOptions.LeaseWait"/> has passed;
    /// between polls <paramref name="whileWaiting"/> may answer instead (the holder's work may have
    /// made this caller's unnecessary). Null when the wait ran out with no answer, so
    /// <paramref name="work"/> must never answer null itself (wrap a result that can be null).
    /// </summary>
    public async Task<T?> RunLeasedAsync<T>(
        string subject, string owner, Func<Task<T>> work, Func<Task<T?>>? whileWaiting, CancellationToken cancellationToken)
        where T : class
    {
        var deadline = time.GetUtcNow() + options.Value.LeaseWait;
        while (true)
        {
            if (await TryAcquireAsync(subject, owner, cancellationToken) is { } lease)
            {
                try
                {
                    return await work();
                }
                finally
                {
                    await ReleaseAsync(lease, CancellationToken.None);
                }
            }

            if (time.GetUtcNow() >= deadline)
            {
                return null;
            }

            await Task.Delay(Poll, time, cancellationToken);
            if (whileWaiting is not null && await whileWaiting() is { } answer)
            {
                return answer;
            }
        }
    }

    /// <summary>Releases a lease if it is still ours; a lease someone took over after expiry is left alone.</summary>
    public async Task ReleaseAsync(RefreshLease lease, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        await TableTransactions.DeleteIfUnchangedAsync(table, RefreshLeaseEntity.Partition, lease.Subject, lease.ETag, cancellationToken);
    }

    /// <summary>
    /// Releases up to <see cref="TableTransactions.MaxOperations"/> leases in one transaction, one by
    /// one if that fails; a lease someone took over after expiry is left alone.
    /// </summary>
    public async Task ReleaseAllAsync(IReadOnlyCollection<RefreshLease> leases, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(leases.Count, TableTransactions.MaxOperations);
        if (leases.Count == 0)
        {
            return;
        }

        var table = await tables.GetAsync(TableName, cancellationToken);
        await TableTransactions.DeleteAllAsync(
            table, RefreshLeaseEntity.Partition, leases.Select(l => (l.Subject, l.ETag)), parallelism: 1, cancellationToken);
    }

    private RefreshLeaseEntity NewLease(string subject, string owner) =>
        new() { RowKey = subject, Owner = owner, ExpiresAt = time.GetUtcNow() + options.Value.LeaseDuration };

    private static RefreshLease Held(RefreshLeaseEntity lease, ETag? etag) => new(lease.RowKey, etag ?? default, lease.ExpiresAt);
}

/// <summary>A held lease, good until <see cref="ExpiresAt"/>.</summary>
public sealed record RefreshLease(string Subject, ETag ETag, DateTimeOffset ExpiresAt);
