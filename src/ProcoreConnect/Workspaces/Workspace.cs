using Azure;
using ProcoreConnect.Secrets;

namespace ProcoreConnect.Workspaces;

/// <summary>A workspace's Procore connection as stored: metadata and secret references, never secrets.</summary>
public sealed record Workspace
{
    /// <summary>The partner's workspace id (see <see cref="WorkspaceId"/>).</summary>
    public required string Id { get; init; }

    /// <summary>The partner that created the workspace; only it sees and changes it.</summary>
    public required string OwnerPartnerId { get; init; }

    /// <summary>The Procore company this workspace works in.</summary>
    public required long CompanyId { get; init; }

    /// <summary>Which Procore environment.</summary>
    public required ProcoreEnvironment Environment { get; init; }

    /// <summary>How tokens are obtained.</summary>
    public required AuthFlow AuthFlow { get; init; }

    /// <summary>The OAuth client id (not a secret).</summary>
    public required string ClientId { get; init; }

    /// <summary>
    /// A random prefix for this workspace's secret names, new for every creation, so a re-created
    /// workspace never collides with its soft-deleted predecessor's secrets in Key Vault.
    /// </summary>
    public required string SecretPrefix { get; init; }

    /// <summary>Where the client secret is kept.</summary>
    public required SecretReference ClientSecret { get; init; }

    /// <summary>When the client secret was last set.</summary>
    public required DateTimeOffset ClientSecretUpdatedAt { get; init; }

    /// <summary>The registered OAuth redirect URI (authorization code flow).</summary>
    public Uri? RedirectUri { get; init; }

    /// <summary>Where the connection stands.</summary>
    public required WorkspaceStatus Status { get; init; }

    /// <summary>
    /// Where the current tokens are kept, once connected: the access token and, in the code flow,
    /// the refresh token issued with it, as one secret version.
    /// </summary>
    public SecretReference? Tokens { get; init; }

    /// <summary>When the current access token was issued (for the token-age metric).</summary>
    public DateTimeOffset? AccessTokenIssuedAt { get; init; }

    /// <summary>When the current access token expires.</summary>
    public DateTimeOffset? AccessTokenExpiresAt { get; init; }

    /// <summary>When the refresh timer should next refresh the access token (its key in the due index).</summary>
    public DateTimeOffset? RefreshDueAt { get; init; }

    /// <summary>When the client secret expires, as the partner told us (Procore does not say).</summary>
    public DateTimeOffset? ClientSecretExpiresAt { get; init; }

    /// <summary>Set by the health check when the client secret expires within 30 days.</summary>
    public bool ClientSecretExpiringSoon { get; init; }

    /// <summary>When the connection health check last ran, and whether it passed.</summary>
    public DateTimeOffset? LastCheckedAt { get; init; }

    /// <summary>Whether the last connection health check passed.</summary>
    public bool? LastCheckOk { get; init; }

    /// <summary>The last error a connection attempt or refresh met, in words safe to show.</summary>
    public string? LastError { get; init; }

    /// <summary>When the workspace was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the workspace last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The row's version, for optimistic concurrency.</summary>
    public ETag ETag { get; init; }
}
