namespace ProcoreConnect.Workspaces;

/// <summary>A <see cref="ConnectionRequest"/> that passed validation.</summary>
public sealed record ConnectionSettings
{
    /// <summary>The Procore company id.</summary>
    public required long CompanyId { get; init; }

    /// <summary>The Procore environment.</summary>
    public required ProcoreEnvironment Environment { get; init; }

    /// <summary>The OAuth client's name (resolved against the caller's clients, then public ones).</summary>
    public required string OAuthClient { get; init; }
}
