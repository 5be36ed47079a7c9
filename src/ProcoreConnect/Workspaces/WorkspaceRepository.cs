using Azure;
using Azure.Data.Tables;
using ProcoreConnect.Common;
using ProcoreConnect.Storage;

namespace ProcoreConnect.Workspaces;

/// <summary>The workspace registry in Table Storage. Every write is conditional on the row's ETag.</summary>
public sealed class WorkspaceRepository(TableStore tables)
{
    /// <summary>The table's name (before the configured prefix).</summary>
    public const string TableName = "Workspaces";

    /// <summary>The workspace, or null when there is none.</summary>
    public async Task<Workspace?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<WorkspaceEntity>(id, id, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.ToWorkspace() : null;
    }

    /// <summary>
    /// The workspace if <paramref name="partnerId"/> owns it and it is not being deleted; null
    /// otherwise, so another partner's workspace looks exactly like a missing one.
    /// </summary>
    public async Task<Workspace?> FindOwnedAsync(string id, string partnerId, CancellationToken cancellationToken)
    {
        var workspace = await FindAsync(id, cancellationToken);
        return workspace is not null && workspace.Status != WorkspaceStatus.Deleting
            && string.Equals(workspace.OwnerPartnerId, partnerId, StringComparison.Ordinal) ? workspace : null;
    }

    /// <summary>Adds a new workspace; throws <see cref="ConcurrencyConflictException"/> when the id exists.</summary>
    public async Task<Workspace> AddAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        try
        {
            var response = await table.AddEntityAsync(WorkspaceEntity.From(workspace), cancellationToken);
            return workspace with { ETag = response.Headers.ETag ?? default };
        }
        catch (RequestFailedException ex) when (ex.Status == StatusCodes.Status409Conflict)
        {
            throw new ConcurrencyConflictException($"Workspace '{workspace.Id}' already exists.", ex);
        }
    }

    /// <summary>
    /// Replaces the workspace if it still has <see cref="Workspace.ETag"/>; throws
    /// <see cref="ConcurrencyConflictException"/> when someone else changed it first.
    /// </summary>
    public async Task<Workspace> UpdateAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        try
        {
            var response = await table.UpdateEntityAsync(
                WorkspaceEntity.From(workspace), workspace.ETag, TableUpdateMode.Replace, cancellationToken);
            return workspace with { ETag = response.Headers.ETag ?? default };
        }
        catch (RequestFailedException ex) when (ex.Status is StatusCodes.Status412PreconditionFailed or StatusCodes.Status404NotFound)
        {
            throw new ConcurrencyConflictException($"Workspace '{workspace.Id}' changed since it was read.", ex);
        }
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the current row and writes it conditionally, re-reading
    /// and re-applying when someone else wrote first. Null when the workspace is gone or
    /// <paramref name="change"/> returns null (nothing to do).
    /// </summary>
    public async Task<Workspace?> ChangeAsync(string id, Func<Workspace, Workspace?> change, CancellationToken cancellationToken, int attempts = 5)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await FindAsync(id, cancellationToken);
            if (current is null || change(current) is not { } changed)
            {
                return null;
            }

            try
            {
                return await UpdateAsync(changed, cancellationToken);
            }
            catch (ConcurrencyConflictException) when (attempt < attempts)
            {
            }
        }
    }

    /// <summary>Deletes the workspace row if it still has <see cref="Workspace.ETag"/>; a missing row is fine.</summary>
    public async Task DeleteAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        try
        {
            await table.DeleteEntityAsync(workspace.Id, workspace.Id, workspace.ETag, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == StatusCodes.Status412PreconditionFailed)
        {
            throw new ConcurrencyConflictException($"Workspace '{workspace.Id}' changed since it was read.", ex);
        }
    }

    /// <summary>One page of visible workspaces (not being deleted), in id order; only the partner's when one is given.</summary>
    public async Task<WorkspacePage> ListAsync(int pageSize, string? continuationToken, CancellationToken cancellationToken, string? partnerId = null)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var filter = partnerId is null
            ? TableClient.CreateQueryFilter($"Status ne {WireName.Of(WorkspaceStatus.Deleting)}")
            : TableClient.CreateQueryFilter($"Status ne {WireName.Of(WorkspaceStatus.Deleting)} and OwnerPartnerId eq {partnerId}");
        var pages = table.QueryAsync<WorkspaceEntity>(filter, pageSize, cancellationToken: cancellationToken)
            .AsPages(continuationToken, pageSize);
        await foreach (var page in pages)
        {
            return new WorkspacePage([.. page.Values.Select(e => e.ToWorkspace())], page.ContinuationToken);
        }

        return new WorkspacePage([], null);
    }

    /// <summary>Workspaces whose delete was cut short (status <c>deleting</c>).</summary>
    public async IAsyncEnumerable<Workspace> ListDeletingAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"Status eq {WireName.Of(WorkspaceStatus.Deleting)}");
        await foreach (var row in table.QueryAsync<WorkspaceEntity>(filter, cancellationToken: cancellationToken))
        {
            yield return row.ToWorkspace();
        }
    }
}
