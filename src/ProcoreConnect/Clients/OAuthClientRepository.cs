using Azure;
using Azure.Data.Tables;
using ProcoreConnect.Storage;

namespace ProcoreConnect.Clients;

/// <summary>The OAuth clients in Table Storage. Every write is conditional on the row's ETag.</summary>
public sealed class OAuthClientRepository(TableStore tables)
{
    /// <summary>The table's name (before the configured prefix).</summary>
    public const string TableName = "OAuthClients";

    /// <summary>The client, or null when there is none (a client being deleted is returned: callers decide).</summary>
    public async Task<OAuthClient?> FindAsync(OAuthClientRef client, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<OAuthClientEntity>(client.Owner, client.Name, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.ToClient() : null;
    }

    /// <summary>
    /// The active client <paramref name="name"/> that <paramref name="partnerId"/> may use: its own,
    /// else a public one; null when there is neither.
    /// </summary>
    public async Task<OAuthClient?> FindUsableAsync(string partnerId, string name, CancellationToken cancellationToken)
    {
        foreach (var owner in new[] { partnerId, OAuthClientRef.PublicOwner })
        {
            if (await FindAsync(new OAuthClientRef(owner, name), cancellationToken) is { Status: OAuthClientStatus.Active } client)
            {
                return client;
            }
        }

        return null;
    }

    /// <summary>True when some partner has a client of this name (an admin naming a public client must not shadow it).</summary>
    public async Task<bool> AnyPartnerUsesNameAsync(string name, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"RowKey eq {name} and PartitionKey ne {OAuthClientRef.PublicOwner}");
        await foreach (var _ in table.QueryAsync<TableEntity>(filter, maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken))
        {
            return true;
        }

        return false;
    }

    /// <summary>Adds a new client; throws <see cref="ConcurrencyConflictException"/> when the name exists for its owner.</summary>
    public async Task<OAuthClient> AddAsync(OAuthClient client, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        try
        {
            var response = await table.AddEntityAsync(OAuthClientEntity.From(client), cancellationToken);
            return client with { ETag = response.Headers.ETag ?? default };
        }
        catch (RequestFailedException ex) when (ex.Status == StatusCodes.Status409Conflict)
        {
            throw new ConcurrencyConflictException($"OAuth client '{client.Ref}' already exists.", ex);
        }
    }

    /// <summary>Replaces the client if it still has <see cref="OAuthClient.ETag"/>; throws <see cref="ConcurrencyConflictException"/> otherwise.</summary>
    public async Task<OAuthClient> UpdateAsync(OAuthClient client, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        try
        {
            var response = await table.UpdateEntityAsync(OAuthClientEntity.From(client), client.ETag, TableUpdateMode.Replace, cancellationToken);
            return client with { ETag = response.Headers.ETag ?? default };
        }
        catch (RequestFailedException ex) when (ex.Status is StatusCodes.Status412PreconditionFailed or StatusCodes.Status404NotFound)
        {
            throw new ConcurrencyConflictException($"OAuth client '{client.Ref}' changed since it was read.", ex);
        }
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the current row and writes it conditionally, re-reading
    /// on conflict. Null when the client is gone or <paramref name="change"/> returns null.
    /// </summary>
    public async Task<OAuthClient?> ChangeAsync(OAuthClientRef client, Func<OAuthClient, OAuthClient?> change, CancellationToken cancellationToken, int attempts = 5)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await FindAsync(client, cancellationToken);
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

    /// <summary>A lookup that reads each client once (see <see cref="ClientLookup"/>).</summary>
    public ClientLookup Lookup() => new(this);

    /// <summary>Deletes the row if it still has <see cref="OAuthClient.ETag"/>; a missing row is fine.</summary>
    public async Task DeleteAsync(OAuthClient client, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        try
        {
            await table.DeleteEntityAsync(client.Ref.Owner, client.Ref.Name, client.ETag, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == StatusCodes.Status412PreconditionFailed)
        {
            throw new ConcurrencyConflictException($"OAuth client '{client.Ref}' changed since it was read.", ex);
        }
        catch (RequestFailedException ex) when (ex.Status == StatusCodes.Status404NotFound)
        {
        }
    }

    /// <summary>One page of an owner's active clients, in name order.</summary>
    public async Task<(IReadOnlyList<OAuthClient> Items, string? ContinuationToken)> ListAsync(
        string owner, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {owner} and Status eq {Common.WireName.Of(OAuthClientStatus.Active)}");
        await foreach (var page in table.QueryAsync<OAuthClientEntity>(filter, pageSize, cancellationToken: cancellationToken).AsPages(continuationToken, pageSize))
        {
            return ([.. page.Values.Select(e => e.ToClient())], page.ContinuationToken);
        }

        return ([], null);
    }

    /// <summary>Every client (active or being deleted), for the maintenance timers.</summary>
    public async IAsyncEnumerable<OAuthClient> ListAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        await foreach (var row in table.QueryAsync<OAuthClientEntity>(cancellationToken: cancellationToken))
        {
            yield return row.ToClient();
        }
    }
}
