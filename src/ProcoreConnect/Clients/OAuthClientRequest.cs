namespace ProcoreConnect.Clients;

/// <summary>The body of <c>PUT /api/oauth-clients/{name}</c> as sent; checked by <see cref="OAuthClientRequestValidator"/>.</summary>
public sealed record OAuthClientRequest
{
    /// <summary><c>authorization_code</c> or <c>client_credentials</c>; fixed once the client exists.</summary>
    [Common.WireValues(typeof(Clients.AuthFlow))]
    public string? AuthFlow { get; init; }

    /// <summary>Procore's client id of the app.</summary>
    public string? ClientId { get; init; }

    /// <summary>Write-only: required on create, optional on update (absent keeps the current one).</summary>
    public string? ClientSecret { get; init; }

    /// <summary>When the client secret expires (optional; the connection check warns 30 days ahead).</summary>
    public DateTimeOffset? ClientSecretExpiresAt { get; init; }

    /// <summary>The redirect URI registered on the Procore app (authorization code only; default: this service's callback).</summary>
    public string? RedirectUri { get; init; }

    /// <summary>A name to show people.</summary>
    public string? DisplayName { get; init; }

    /// <summary>Never the secret: a record would print it.</summary>
    public override string ToString() =>
        $"{nameof(OAuthClientRequest)} {{ AuthFlow = {AuthFlow}, ClientId = {ClientId}, ClientSecret = {(ClientSecret is null ? "absent" : "sent")}, ClientSecretExpiresAt = {ClientSecretExpiresAt:u}, RedirectUri = {RedirectUri}, DisplayName = {DisplayName} }}";
}
