using Azure;
using Azure.Data.Tables;
using ProcoreConnect.OAuth;
using ProcoreConnect.Storage;

namespace ProcoreConnect.ConnectLinks;

/// <summary>
/// Keeps connect links by the hash of their token. Reading one changes nothing; pressing Connect
/// claims it for one sign-in (conditionally on what was read), and only the callback of the
/// sign-in that holds it uses it up or frees it.
/// </summary>
public sealed class ConnectLinkStore(TableStore tables)
{
    /// <summary>The table's name (before the configured prefix).</summary>
    public const string TableName = "ConnectLinks";

    private const int ChangeAttempts = 3;

    /// <summary>A new token: 32 random bytes, base64url (43 characters).</summary>
    public static string NewToken() => Pkce.RandomValue(32);

    /// <summary>The stored id of <paramref name="token"/>, or null when it cannot be a token (then no lookup is made).</summary>
    public static string? IdOf(string? token) =>
        token is { Length: > 0 and <= 256 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? OAuthStateStore.Hash(token)
            : null;

    /// <summary>How long a link's row is kept after it expires: its page says "expired" (or "used") meanwhile, "not found" after.</summary>
    public static readonly TimeSpan KeptAfterExpiry = TimeSpan.FromDays(30);

    /// <summary>Deletes links that expired more than <see cref="KeptAfterExpiry"/> before <paramref name="now"/>; returns how many.</summary>
    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var purged = 0;
        var filter = TableClient.CreateQueryFilter($"ExpiresAt lt {now - KeptAfterExpiry}");
        await foreach (var row in table.QueryAsync<ConnectLinkEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await TableTransactions.DeleteIfUnchangedAsync(table, row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
            purged++;
        }

        return purged;
    }

    /// <summary>Saves a new link.</summary>
    public async Task AddAsync(ConnectLink link, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        await table.AddEntityAsync(ConnectLinkEntity.From(link), cancellationToken);
    }

    /// <summary>The link with <paramref name="id"/>, or null.</summary>
    public async Task<ConnectLink?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<ConnectLinkEntity>(id, id, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.ToLink() : null;
    }

    /// <summary>
    /// Claims <paramref name="link"/> (as read) for the sign-in of <paramref name="state"/>, in
    /// place of any earlier claim. False when the link changed since it was read (a concurrent
    /// press, a settle): read it again.
    /// </summary>
    public async Task<bool> ClaimAsync(ConnectLink link, OAuthState state, CancellationToken cancellationToken)
    {
        var claimed = link with { ClaimedBy = OAuthStateStore.Hash(state.Value), ClaimExpiresAt = state.ExpiresAt };
        var table = await tables.GetAsync(TableName, cancellationToken);
        try
        {
            await table.UpdateEntityAsync(ConnectLinkEntity.From(claimed), link.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is StatusCodes.Status412PreconditionFailed or StatusCodes.Status404NotFound)
        {
            return false;
        }
    }

    /// <summary>The link while <paramref name="state"/>'s sign-in holds it, unused (only then may its callback go on); else null.</summary>
    public async Task<ConnectLink?> HeldByAsync(string id, OAuthState state, CancellationToken cancellationToken) =>
        await FindAsync(id, cancellationToken) is { UsedAt: null } link && link.ClaimedBy == OAuthStateStore.Hash(state.Value) ? link : null;

    /// <summary>
    /// Uses the link up for <paramref name="state"/>'s sign-in, which came back with a code, before
    /// the code is exchanged: conditional on the row that shows the claim, so a press in between
    /// cannot start a second connection. Null (and nothing written) when that sign-in no longer
    /// holds the link.
    /// </summary>
    public Task<ConnectLink?> UseAsync(string id, OAuthState state, DateTimeOffset at, CancellationToken cancellationToken) =>
        ChangeHeldAsync(id, state, link => link with { UsedAt = at, LastOutcome = ConnectLinkOutcome.Connected }, cancellationToken);

    /// <summary>
    /// Frees the link after <paramref name="state"/>'s sign-in was denied or failed (also after
    /// <see cref="UseAsync"/>, when the exchange then failed), for another try within its
    /// lifetime. Null (and nothing written) when that sign-in no longer holds the link.
    /// </summary>
    public Task<ConnectLink?> ReleaseAsync(string id, OAuthState state, ConnectLinkOutcome outcome, CancellationToken cancellationToken) =>
        ChangeHeldAsync(
            id, state, link => link with { ClaimedBy = null, ClaimExpiresAt = null, UsedAt = null, LastOutcome = outcome }, cancellationToken);

    // Only the sign-in holding the link changes it this way; a conflict is a concurrent press or a
    // storage retry, so the row is read again and the claim checked again.
    private async Task<ConnectLink?> ChangeHeldAsync(string id, OAuthState state, Func<ConnectLink, ConnectLink> change, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var link = await FindAsync(id, cancellationToken);
            if (link is null || link.ClaimedBy != OAuthStateStore.Hash(state.Value))
            {
                return null;
            }

            var changed = change(link);
            try
            {
                var response = await table.UpdateEntityAsync(ConnectLinkEntity.From(changed), link.ETag, TableUpdateMode.Replace, cancellationToken);
                return changed with { ETag = response.Headers.ETag ?? default };
            }
            catch (RequestFailedException ex) when (ex.Status == StatusCodes.Status412PreconditionFailed && attempt < ChangeAttempts)
            {
            }
        }
    }
}
