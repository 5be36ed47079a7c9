namespace ProcoreConnect.Workspaces;

/// <summary>The body of <c>PUT /api/workspaces/{id}/connection/secret</c>.</summary>
public sealed record SecretRotationRequest
{
    /// <summary>The new client secret (write-only).</summary>
    public string? ClientSecret { get; init; }

    /// <summary>When the new secret expires, if known.</summary>
    public DateTimeOffset? ClientSecretExpiresAt { get; init; }
}
