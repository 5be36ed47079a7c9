namespace ProcoreConnect.Clients;

/// <summary>An <see cref="OAuthClientRequest"/> that passed validation.</summary>
public sealed record OAuthClientSettings
{
    /// <summary>The auth flow.</summary>
    public required AuthFlow AuthFlow { get; init; }

    /// <summary>Procore's client id.</summary>
    public required string ClientId { get; init; }

    /// <summary>The new client secret, when one was sent.</summary>
    public string? ClientSecret { get; init; }

    /// <summary>When the client secret expires, when known.</summary>
    public DateTimeOffset? ClientSecretExpiresAt { get; init; }

    /// <summary>The redirect URI, when one was sent.</summary>
    public Uri? RedirectUri { get; init; }

    /// <summary>The display name, when one was sent.</summary>
    public string? DisplayName { get; init; }

    /// <summary>Never the secret: a record would print it.</summary>
    public override string ToString() =>
        $"{nameof(OAuthClientSettings)} {{ AuthFlow = {AuthFlow}, ClientId = {ClientId}, ClientSecret = {(ClientSecret is null ? "absent" : "sent")}, ClientSecretExpiresAt = {ClientSecretExpiresAt:u}, RedirectUri = {RedirectUri}, DisplayName = {DisplayName} }}";
}
