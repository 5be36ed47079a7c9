namespace ProcoreConnect.Workspaces;

/// <summary>
/// The body of <c>PUT /api/workspaces/{id}/connection</c> as sent; every field is checked by
/// <see cref="ConnectionRequestValidator"/> before anything is written.
/// </summary>
public sealed record ConnectionRequest
{
    /// <summary>The Procore company id: a positive integer.</summary>
    public long? CompanyId { get; init; }

    /// <summary><c>production</c>, <c>sandbox</c> or <c>monthly</c>.</summary>
    public string? Environment { get; init; }

    /// <summary><c>authorization_code</c> or <c>client_credentials</c>.</summary>
    public string? AuthFlow { get; init; }

    /// <summary>The OAuth client id of the partner's Procore app.</summary>
    public string? ClientId { get; init; }

    /// <summary>Write-only: required on create, optional on update (absent keeps the current one).</summary>
    public string? ClientSecret { get; init; }

    /// <summary>When the client secret expires (optional; the health check warns 30 days ahead).</summary>
    public DateTimeOffset? ClientSecretExpiresAt { get; init; }

    /// <summary>The redirect URI registered on the Procore app (authorization code flow only).</summary>
    public string? RedirectUri { get; init; }
}
