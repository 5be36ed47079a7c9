namespace ProcoreConnect.Security;

/// <summary>
/// An API key as listed: id, owner, name, dates (<c>LastUsedAt</c>: when a call last authenticated
/// with it, to within <see cref="AuthOptions.KeyUseRecordInterval"/>; null if never). Never the key.
/// </summary>
public sealed record PartnerKey(string KeyId, string PartnerId, string? Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt = null);

/// <summary>A key just created: the only time its value is shown.</summary>
public sealed record CreatedPartnerKey(string KeyId, string PartnerId, string? Name, DateTimeOffset CreatedAt, string Key)
{
    /// <summary>Never the key: a record would print it.</summary>
    public override string ToString() => $"{nameof(CreatedPartnerKey)} {{ KeyId = {KeyId}, PartnerId = {PartnerId}, Name = {Name}, CreatedAt = {CreatedAt:u} }}";
}
