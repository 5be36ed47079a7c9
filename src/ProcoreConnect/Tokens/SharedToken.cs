using ProcoreConnect.Clients;
using ProcoreConnect.Secrets;

namespace ProcoreConnect.Tokens;

/// <summary>A shared token in memory, with the creation of the client and the client id it was issued to.</summary>
public sealed record SharedToken(SecretReference Reference, string AccessToken, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, string ClientGeneration, string ClientId)
{
    /// <summary>Whether the token may still serve <paramref name="client"/> (see <see cref="IssuedTo"/>).</summary>
    public bool Belongs(OAuthClient client) => IssuedTo(client, ClientGeneration, ClientId, IssuedAt);

    /// <summary>
    /// Whether a shared token issued at <paramref name="issuedAt"/> to this creation of the client
    /// (<paramref name="generation"/>) and client id may still serve <paramref name="client"/>: tokens
    /// issued before the client's shared tokens were revoked (it came to serve several partners) are not handed out.
    /// </summary>
    public static bool IssuedTo(OAuthClient client, string generation, string clientId, DateTimeOffset issuedAt) =>
        generation == client.SecretPrefix && clientId == client.ClientId && (client.SharedTokensRevokedAt is not { } revokedAt || issuedAt >= revokedAt);

    /// <summary>Never the token.</summary>
    public override string ToString() => $"{nameof(SharedToken)} {{ {Reference.Name}, expires {ExpiresAt:u} }}";
}
