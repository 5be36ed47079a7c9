using Azure;
using Azure.Data.Tables;
using ProcoreConnect.Clients;
using ProcoreConnect.Common;
using ProcoreConnect.Procore;
using ProcoreConnect.Storage;

namespace ProcoreConnect.Workspaces;

/// <summary>The workspace registry in Table Storage. Every write is conditional on the row's ETag.</summary>
public sealed class WorkspaceRepository(TableStore tables)
{
    /// <summary>The table's name (before the configured prefix).</summary>
    public const string TableName = "Workspaces";

    // Rows written before workspaces were keyed by partner have no Key; the migration rewrites them.
    private static readonly string Current = TableClient.CreateQueryFilter($"Key ne {""}");

    /// <summary>The workspace (a workspace being deleted included), or null when there is none.</summary>
    public async Task<Workspace?> FindAsync(WorkspaceRef workspace, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<WorkspaceEntity>(workspace.PartnerId, workspace.Id, cancellationToken: cancellationToken);
        return row.HasValue && row.Value!.Key.Length > 0 ? row.Value.ToWorkspace() : null;
    }

    /// <summary>The workspace if it exists and is not being deleted; null otherwise.</summary>
    public async Task<Workspace?> FindVisibleAsync(WorkspaceRef workspace, CancellationToken cancellationToken) =>
        await FindAsync(workspace, cancellationToken) is { Status: not WorkspaceStatus.Deleting } found ? found : null;

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
            throw new ConcurrencyConflictException($"Workspace '{workspace.Ref}' already exists.", ex);
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
            throw new ConcurrencyConflictException($"Workspace '{workspace.Ref}' changed since it was read.", ex);
        }
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the current row and writes it conditionally, re-reading
    /// and re-applying when someone else wrote first. Null when the workspace is gone, is another
    /// creation than <paramref name="key"/> (when given), or <paramref name="change"/> returns null.
    /// </summary>
    public async Task<Workspace?> ChangeAsync(
        WorkspaceRef workspace, Func<Workspace, Workspace?> change, CancellationToken cancellationToken, int attempts = 5, string? key = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await FindAsync(workspace, cancellationToken);
            if (current is null || (key is not null && current.Key != key) || change(current) is not { } changed)
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
            await table.DeleteEntityAsync(workspace.PartnerId, workspace.Id, workspace.ETag, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == StatusCodes.Status412PreconditionFailed)
        {
            throw new ConcurrencyConflictException($"Workspace '{workspace.Ref}' changed since it was read.", ex);
        }
        catch (RequestFailedException ex) when (ex.Status == StatusCodes.Status404NotFound)
        {
        }
    }

    /// <summary>One page of a partner's visible workspaces (not being deleted), in id order.</summary>
    public Task<WorkspacePage> ListAsync(string partnerId, int pageSize, string? continuationToken, CancellationToken cancellationToken) =>
        PageAsync(TableClient.CreateQueryFilter($"PartitionKey eq {partnerId} and Status ne {WireName.Of(WorkspaceStatus.Deleting)}"), pageSize, continuationToken, cancellationToken);

    /// <summary>
    /// One page of a partner's visible workspaces in one Procore company, in id order: a filter
    /// within the partner's partition, read by Table Storage server-side (a page may hold fewer
    /// than <paramref name="pageSize"/>, even none, and still have a next one). See docs/api.md,
    /// "Listing", for why this is a scan of one partition and not an index.
    /// </summary>
    public Task<WorkspacePage> ListCompanyAsync(string partnerId, long companyId, int pageSize, string? continuationToken, CancellationToken cancellationToken) =>
        PageAsync(TableClient.CreateQueryFilter($"PartitionKey eq {partnerId} and CompanyId eq {companyId} and Status ne {WireName.Of(WorkspaceStatus.Deleting)}"),
            pageSize, continuationToken, cancellationToken);

    /// <summary>Every visible workspace of a partner (one partition).</summary>
    public IAsyncEnumerable<Workspace> ListPartnerAsync(string partnerId, CancellationToken cancellationToken) =>
        QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {partnerId} and Status ne {WireName.Of(WorkspaceStatus.Deleting)}"), cancellationToken);

    /// <summary>One page of every partner's visible workspaces, for the maintenance timers.</summary>
    public Task<WorkspacePage> ListAllAsync(int pageSize, string? continuationToken, CancellationToken cancellationToken) =>
        PageAsync(TableClient.CreateQueryFilter($"Status ne {WireName.Of(WorkspaceStatus.Deleting)}"), pageSize, continuationToken, cancellationToken);

    /// <summary>Workspaces whose delete was cut short (status <c>deleting</c>).</summary>
    public IAsyncEnumerable<Workspace> ListDeletingAsync(CancellationToken cancellationToken) =>
        QueryAsync(TableClient.CreateQueryFilter($"Status eq {WireName.Of(WorkspaceStatus.Deleting)}"), cancellationToken);

    /// <summary>
    /// The workspaces (being deleted included) that use <paramref name="client"/>, in one
    /// <paramref name="environment"/> when given. A partner's client can only be used by that
    /// partner's workspaces (one partition); a public client by anyone's, or with
    /// <paramref name="partnerId"/> by that partner's only (one partition read, no other's).
    /// </summary>
    public IAsyncEnumerable<Workspace> ListUsingAsync(
        OAuthClientRef client, CancellationToken cancellationToken, ProcoreEnvironment? environment = null, string? partnerId = null)
    {
        var filter = TableClient.CreateQueryFilter($"ClientOwner eq {client.Owner} and ClientName eq {client.Name}");
        if ((client.IsPublic ? partnerId : client.Owner) is { } partition)
        {
            filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}") + " and " + filter;
        }

        if (environment is { } env)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Environment eq {WireName.Of(env)}");
        }

        return QueryAsync(filter, cancellationToken);
    }

    private async Task<WorkspacePage> PageAsync(string filter, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var pages = table.QueryAsync<WorkspaceEntity>(filter + " and " + Current, pageSize, cancellationToken: cancellationToken)
            .AsPages(continuationToken, pageSize);
        await foreach (var page in pages)
        {
            return new WorkspacePage([.. page.Values.Select(e => e.ToWorkspace())], page.ContinuationToken);
        }

        return new WorkspacePage([], null);
    }

    private async IAsyncEnumerable<Workspace> QueryAsync(string filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        await foreach (var row in table.QueryAsync<WorkspaceEntity>(filter + " and " + Current, cancellationToken: cancellationToken))
        {
            yield return row.ToWorkspace();
        }
    }
}
