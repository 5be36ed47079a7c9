using Azure;
using ProcoreConnect.Secrets;
using ProcoreConnect.Storage;

namespace ProcoreConnect.Tokens;

/// <summary>The <c>ClientTokens</c> table: one row per client-credentials client and environment.</summary>
public sealed class ClientTokenStore(TableStore tables)
{
    /// <summary>The table's name (before the configured prefix).</summary>
    public const string TableName = "ClientTokens";

    /// <summary>The stored token state, or null.</summary>
    public async Task<StoredClientToken?> FindAsync(ClientTokenKey key, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<ClientTokenEntity>(key.Value, key.Value, cancellationToken: cancellationToken);
        return row.HasValue
            ? new StoredClientToken(
                row.Value!.ClientGeneration, row.Value.ClientId, new SecretReference(row.Value.TokenName, row.Value.TokenVersion),
                row.Value.IssuedAt, row.Value.ExpiresAt, row.Value.RefreshDueAt)
            {
                Earlier = EarlierToken.Parse(row.Value.TokenName, row.Value.EarlierTokens),
            }
            : null;
    }

    /// <summary>Writes the state; only the lease holder writes, so the last write is the newest token.</summary>
    public async Task SaveAsync(ClientTokenKey key, StoredClientToken token, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        await table.UpsertEntityAsync(new ClientTokenEntity
        {
            PartitionKey = key.Value,
            RowKey = key.Value,
            ClientGeneration = token.ClientGeneration,
            ClientId = token.ClientId,
            TokenName = token.Token.Name,
            TokenVersion = token.Token.Version,
            IssuedAt = token.IssuedAt,
            ExpiresAt = token.ExpiresAt,
            RefreshDueAt = token.RefreshDueAt,
            EarlierTokens = EarlierToken.Format(token.Earlier),
        }, Azure.Data.Tables.TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Forgets the state; a missing row is fine.</summary>
    public async Task DeleteAsync(ClientTokenKey key, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        await TableTransactions.DeleteIfUnchangedAsync(table, key.Value, key.Value, ETag.All, cancellationToken);
    }
}

/// <summary>Where a shared token is kept and when it expires; which client (and creation of it) it was issued to.</summary>
public sealed record StoredClientToken(
    string ClientGeneration, string ClientId, SecretReference Token, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, DateTimeOffset RefreshDueAt)
{
    /// <summary>Whether the token may still serve <paramref name="client"/> (see <see cref="SharedToken.IssuedTo"/>).</summary>
    public bool Belongs(Clients.OAuthClient client) => SharedToken.IssuedTo(client, ClientGeneration, ClientId, IssuedAt);

    /// <summary>
    /// Tokens this row held before (versions of its secret name, read with it) and not yet expired when
    /// it was written: Procore keeps them alive until they expire, so revoking "the client's tokens" means these too.
    /// </summary>
    public IReadOnlyList<EarlierToken> Earlier { get; init; } = [];

    /// <summary>The tokens to carry as <see cref="Earlier"/> into the row that replaces this one at <paramref name="now"/>.</summary>
    public IReadOnlyList<EarlierToken> StillAliveAt(DateTimeOffset now) =>
        [.. Earlier.Where(e => e.ExpiresAt > now), .. ExpiresAt > now ? [new EarlierToken(Token, ExpiresAt)] : Array.Empty<EarlierToken>()];
}
