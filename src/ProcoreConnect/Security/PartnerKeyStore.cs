using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ProcoreConnect.Storage;

namespace ProcoreConnect.Security;

/// <summary>
/// Partner API keys: <c>pck_{keyId}_{secret}</c>, 256 random bits of secret, stored as a salted
/// SHA-256 hash and compared in constant time. A verified key is trusted from memory for
/// <see cref="AuthOptions.KeyCacheDuration"/>; revocation on this instance applies at once. An
/// unknown key id is remembered as unknown for <see cref="AuthOptions.UnknownKeyCacheDuration"/>
/// (at most <see cref="AuthOptions.UnknownKeyCacheSize"/> of them), never past the creation of a
/// key of that id on this instance. A verified key's use is written to its row at most once per
/// <see cref="AuthOptions.KeyUseRecordInterval"/> on each instance, so listing shows when it was
/// last used without a table write per call.
/// </summary>
public sealed class PartnerKeyStore(TableStore tables, TimeProvider time, IOptions<AuthOptions> options) : IDisposable
{
    /// <summary>The table's name (before the configured prefix).</summary>
    public const string TableName = "PartnerKeys";

    /// <summary>How every partner key begins.</summary>
    public const string Prefix = "pck_";
    private readonly ConcurrentDictionary<string, (PartnerKeyEntity Row, DateTimeOffset CheckedAt)> _cache = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _unknown = new(StringComparer.Ordinal);
    private readonly Lock _unknownLock = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _useRecorded = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _ownCreation = new(1, 1);
    private long _keysCreated;
    private DateTimeOffset _nextUnknownSweep;

    /// <summary>How many unknown key ids are remembered now.</summary>
    internal int UnknownKeys => _unknown.Count;

    /// <summary>Creates a key for a partner; the value is returned once and never stored.</summary>
    public Task<CreatedPartnerKey> CreateAsync(string partnerId, string? name, CancellationToken cancellationToken) =>
        CreateAsync(partnerId, name, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), cancellationToken);

    /// <summary>
    /// Creates a key a partner asked for itself, unless it already holds
    /// <see cref="AuthOptions.MaxKeysPerPartner"/> unrevoked keys (then null, and the count).
    /// Creations here are one at a time, so concurrent calls to this instance cannot pass the cap
    /// together; each other instance can add at most one more in a race.
    /// </summary>
    public async Task<(CreatedPartnerKey? Created, int Active)> CreateOwnAsync(string partnerId, string? name, CancellationToken cancellationToken)
    {
        await _ownCreation.WaitAsync(cancellationToken);
        try
        {
            var active = (await ListAsync(partnerId, cancellationToken)).Count(k => k.RevokedAt is null);
            return active >= options.Value.MaxKeysPerPartner ? (null, active) : (await CreateAsync(partnerId, name, cancellationToken), active + 1);
        }
        finally
        {
            _ownCreation.Release();
        }
    }

    /// <summary>Creates a key of a chosen id: the tests' way to make one whose id was presented before.</summary>
    internal async Task<CreatedPartnerKey> CreateAsync(string partnerId, string? name, string keyId, CancellationToken cancellationToken)
    {
        var secret = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var salt = RandomNumberGenerator.GetBytes(16);
        var row = new PartnerKeyEntity
        {
            PartitionKey = keyId,
            RowKey = keyId,
            PartnerId = partnerId,
            Name = name,
            Salt = salt,
            Hash = Hash(salt, secret),
            CreatedAt = time.GetUtcNow(),
        };
        var table = await tables.GetAsync(TableName, cancellationToken);
        await table.AddEntityAsync(row, cancellationToken);
        lock (_unknownLock)
        {
            // A lookup that missed before this insert and remembers its miss after it sees the count change.
            _keysCreated++;
            _unknown.TryRemove(keyId, out _);
        }

        return new CreatedPartnerKey(keyId, partnerId, name, row.CreatedAt, $"{Prefix}{keyId}_{secret}");
    }

    /// <summary>The partner a presented key belongs to, or why it was refused.</summary>
    public async Task<(string? PartnerId, string? Refusal, string? KeyId)> VerifyAsync(string presented, CancellationToken cancellationToken)
    {
        if (!presented.StartsWith(Prefix, StringComparison.Ordinal) || presented.Length > 200)
        {
            return (null, "malformed API key", null);
        }

        var separator = presented.IndexOf('_', Prefix.Length);
        if (separator < 0)
        {
            return (null, "malformed API key", null);
        }

        var keyId = presented[Prefix.Length..separator];
        var secret = presented[(separator + 1)..];
        if (keyId.Length != 16 || !keyId.All(char.IsAsciiHexDigitLower))
        {
            return (null, "malformed API key", null);
        }

        var row = await FindAsync(keyId, cancellationToken);
        if (row is null)
        {
            return (null, "unknown API key id", keyId);
        }

        if (!CryptographicOperations.FixedTimeEquals(Hash(row.Salt, secret), row.Hash))
        {
            return (null, "API key does not match", keyId);
        }

        if (row.RevokedAt is not null)
        {
            return (null, "revoked API key", keyId);
        }

        await RecordUseAsync(row, cancellationToken);
        return (row.PartnerId, null, keyId);
    }

    /// <summary>A partner's keys, without secrets.</summary>
    public async Task<IReadOnlyList<PartnerKey>> ListAsync(string partnerId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var keys = new List<PartnerKey>();
        await foreach (var row in table.QueryAsync<PartnerKeyEntity>(k => k.PartnerId == partnerId, cancellationToken: cancellationToken))
        {
            keys.Add(new PartnerKey(row.PartitionKey, row.PartnerId, row.Name, row.CreatedAt, row.RevokedAt, row.LastUsedAt));
        }

        return keys;
    }

    /// <summary>Revokes a key of the partner; false when there is no such key.</summary>
    public async Task<bool> RevokeAsync(string partnerId, string keyId, CancellationToken cancellationToken)
    {
        _cache.TryRemove(keyId, out _);
        var table = await tables.GetAsync(TableName, cancellationToken);
        var found = await table.GetEntityIfExistsAsync<PartnerKeyEntity>(keyId, keyId, cancellationToken: cancellationToken);
        if (!found.HasValue || found.Value!.PartnerId != partnerId)
        {
            return false;
        }

        if (found.Value.RevokedAt is null)
        {
            // Only RevokedAt, merged on the row as it is: a use recorded meanwhile (LastUsedAt) must not
            // make the revocation fail, and nothing else on the row is ever written after creation.
            await table.UpdateEntityAsync(new TableEntity(keyId, keyId) { ["RevokedAt"] = time.GetUtcNow() }, ETag.All, TableUpdateMode.Merge, cancellationToken);
        }

        _cache.TryRemove(keyId, out _);
        return true;
    }

    /// <inheritdoc />
    public void Dispose() => _ownCreation.Dispose();

    /// <summary>The hex SHA-256 of a key, as <see cref="AuthOptions.AdminKeySha256"/> expects it.</summary>
    public static string Sha256Hex(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private async Task<PartnerKeyEntity?> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(keyId, out var cached) && now - cached.CheckedAt < options.Value.KeyCacheDuration)
        {
            return cached.Row;
        }

        var limits = options.Value;
        if (_unknown.TryGetValue(keyId, out var missedAt) && now - missedAt < limits.UnknownKeyCacheDuration)
        {
            return null;
        }

        long createdBefore;
        lock (_unknownLock)
        {
            createdBefore = _keysCreated;
        }

        var table = await tables.GetAsync(TableName, cancellationToken);
        var found = await table.GetEntityIfExistsAsync<PartnerKeyEntity>(keyId, keyId, cancellationToken: cancellationToken);
        if (!found.HasValue)
        {
            RememberUnknown(keyId, now, createdBefore, limits);
            return null;
        }

        _unknown.TryRemove(keyId, out _);
        _cache[keyId] = (found.Value!, now);
        return found.Value;
    }

    // Writes only LastUsedAt (a merge, on the row as it is now), so it never undoes a revocation.
    private async ValueTask RecordUseAsync(PartnerKeyEntity row, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var recorded = _useRecorded.TryGetValue(row.RowKey, out var here) && (row.LastUsedAt is null || here > row.LastUsedAt) ? here : row.LastUsedAt;
        if (recorded is { } last && now - last < options.Value.KeyUseRecordInterval)
        {
            return;
        }

        _useRecorded[row.RowKey] = now;
        try
        {
            var table = await tables.GetAsync(TableName, cancellationToken);
            await table.UpdateEntityAsync(new TableEntity(row.PartitionKey, row.RowKey) { ["LastUsedAt"] = now }, ETag.All, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException)
        {
            // A use not written costs the listing's accuracy, never the call: the next interval writes it.
        }
    }

    private void RememberUnknown(string keyId, DateTimeOffset now, long createdBefore, AuthOptions limits)
    {
        lock (_unknownLock)
        {
            if (_keysCreated != createdBefore)
            {
                // A key created here since the read may have this id: remembering the miss could hide it.
                return;
            }

            if (_unknown.Count >= limits.UnknownKeyCacheSize && now >= _nextUnknownSweep)
            {
                // At most once a cache duration, so a full cache of live entries costs no sweep per miss.
                foreach (var (id, at) in _unknown)
                {
                    if (now - at >= limits.UnknownKeyCacheDuration)
                    {
                        _unknown.TryRemove(id, out _);
                    }
                }

                _nextUnknownSweep = now + limits.UnknownKeyCacheDuration;
            }

            if (_unknown.ContainsKey(keyId) || _unknown.Count < limits.UnknownKeyCacheSize)
            {
                _unknown[keyId] = now;
            }
        }
    }

    private static byte[] Hash(byte[] salt, string secret)
    {
        var input = new byte[salt.Length + Encoding.UTF8.GetMaxByteCount(secret.Length)];
        salt.CopyTo(input, 0);
        var length = salt.Length + Encoding.UTF8.GetBytes(secret, input.AsSpan(salt.Length));
        return SHA256.HashData(input.AsSpan(0, length));
    }
}
