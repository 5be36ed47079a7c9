using Azure;
using ProcoreConnect.Secrets;

namespace ProcoreConnect.Clients;

/// <summary>
/// A Procore app's OAuth credentials as stored, reusable by many workspaces: the client id, a
/// reference to the secret (never the secret) and how tokens are obtained.
/// </summary>
public sealed record OAuthClient
{
    /// <summary>Owner and name.</summary>
    public required OAuthClientRef Ref { get; init; }

    /// <summary>A name to show people, when the partner gave one.</summary>
    public string? DisplayName { get; init; }

    /// <summary>How tokens are obtained; fixed when the client is created.</summary>
    public required AuthFlow AuthFlow { get; init; }

    /// <summary>Procore's client id (not a secret).</summary>
    public required string ClientId { get; init; }

    /// <summary>The redirect URI registered on the Procore app (authorization code only); the service's callback when null.</summary>
    public Uri? RedirectUri { get; init; }

    /// <summary>
    /// A random prefix for this client's secret names, new for every creation, so a re-created
    /// client never collides with its soft-deleted predecessor's secrets in Key Vault.
    /// </summary>
    public required string SecretPrefix { get; init; }

    /// <summary>Where the client secret is kept.</summary>
    public required SecretReference ClientSecret { get; init; }

    /// <summary>When the client secret was last set.</summary>
    public required DateTimeOffset ClientSecretUpdatedAt { get; init; }

    /// <summary>When the client secret expires, as the partner told us (Procore does not say).</summary>
    public DateTimeOffset? ClientSecretExpiresAt { get; init; }

    /// <summary>Set by the connection check when the client secret expires within 30 days.</summary>
    public bool ClientSecretExpiringSoon { get; init; }

    /// <summary>
    /// The secret version Procore answered <c>invalid_client</c> to. While it is the current one,
    /// no refresh token is presented with it: Procore invalidates a refresh token on every refresh
    /// call, failed ones included, so a wrong secret would burn every workspace's connection.
    /// </summary>
    public string? RefusedSecretVersion { get; init; }

    /// <summary>Where the client stands.</summary>
    public required OAuthClientStatus Status { get; init; }

    /// <summary>Whether a client-credentials client's shared token can be had, and when it may be tried again.</summary>
    public Workspaces.ConnectionHealth TokenHealth { get; init; } = Workspaces.ConnectionHealth.Ok;

    /// <summary>When the client was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The row's version, for optimistic concurrency.</summary>
    public ETag ETag { get; init; }

    /// <summary>True while Procore's refusal of the current secret stands.</summary>
    public bool SecretRefused => RefusedSecretVersion is not null && RefusedSecretVersion == ClientSecret.Version;
}
