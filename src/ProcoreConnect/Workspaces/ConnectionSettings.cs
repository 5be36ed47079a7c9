namespace ProcoreConnect.Workspaces;

/// <summary>A <see cref="ConnectionRequest"/> that passed validation.</summary>
public sealed record ConnectionSettings
{
    /// <summary>The Procore company id.</summary>
    public required long CompanyId { get; init; }

    /// <summary>The Procore environment.</summary>
    public required ProcoreEnvironment Environment { get; init; }

    /// <summary>The auth flow.</summary>
    public required AuthFlow AuthFlow { get; init; }

    /// <summary>The OAuth client id.</summary>
    public required string ClientId { get; init; }

    /// <summary>The new client secret, when one was sent.</summary>
    public string? ClientSecret { get; init; }

    /// <summary>When the client secret expires, when known.</summary>
    public DateTimeOffset? ClientSecretExpiresAt { get; init; }

    /// <summary>The redirect URI, when one was sent.</summary>
    public Uri? RedirectUri { get; init; }
}
