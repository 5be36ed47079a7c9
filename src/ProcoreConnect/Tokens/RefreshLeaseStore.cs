using Azure;
using Microsoft.Extensions.Options;
using ProcoreConnect.Storage;

namespace ProcoreConnect.Tokens;

/// <summary>
/// Leases in Table Storage so that, across instances, one refresh per workspace runs at a time.
/// Taking a lease is a conditional insert, or a conditional replace of an expired one.
/// </summary>
public sealed class RefreshLeaseStore(TableStore tables, TimeProvider time, IOptions<TokenOptions> options)
{
    /// <summary>The table's name (before the configured prefix).</summary>
    public const string TableName = "Leases";

    /// <summary>Takes the workspace's lease for <paramref name="owner"/>; null when someone else holds it.</summary>
    public async Task<RefreshLease?> TryAcquireAsync(string workspaceId, string owner, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var now = time.GetUtcNow();
        var lease = new RefreshLeaseEntity { PartitionKey = workspaceId, RowKey = workspaceId, Owner = owner, ExpiresAt = now + options.Value.LeaseDuration };
        try
        {
            // Usually nobody holds it: one conditional insert.
            var added = await table.AddEntityAsync(lease, cancellationToken);
            return new RefreshLease(workspaceId, added.Headers.ETag ?? default);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Held, or left behind by a crashed holder: take it over only once it has expired.
        }

        var existing = await table.GetEntityIfExistsAsync<RefreshLeaseEntity>(workspaceId, workspaceId, cancellationToken: cancellationToken);
        if (!existing.HasValue || existing.Value!.ExpiresAt > now)
        {
            return null;
        }

        try
        {
            var replaced = await table.UpdateEntityAsync(lease, existing.Value.ETag, Azure.Data.Tables.TableUpdateMode.Replace, cancellationToken);
            return new RefreshLease(workspaceId, replaced.Headers.ETag ?? default);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return null;
        }
    }

    /// <summary>Releases a lease if it is still ours; a lease someone took over after expiry is left alone.</summary>
    public async Task ReleaseAsync(RefreshLease lease, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        try
        {
            await table.DeleteEntityAsync(lease.WorkspaceId, lease.WorkspaceId, lease.ETag, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // Expired and taken over, or already gone: nothing of ours to release.
        }
    }
}

/// <summary>A held lease.</summary>
public sealed record RefreshLease(string WorkspaceId, ETag ETag);
