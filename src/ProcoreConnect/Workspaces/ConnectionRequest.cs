namespace ProcoreConnect.Workspaces;

/// <summary>
/// The body of <c>PUT /api/workspaces/{id}/connection</c> as sent; every field is checked by
/// <see cref="ConnectionRequestValidator"/> before anything is written.
/// </summary>
public sealed record ConnectionRequest
{
    /// <summary>The Procore company id: a positive integer.</summary>
    public long? CompanyId { get; init; }

    /// <summary><c>production</c>, <c>sandbox</c>, <c>monthly</c> or <c>federal</c>.</summary>
    [Common.WireValues(typeof(Procore.ProcoreEnvironment))]
    public string? Environment { get; init; }

    /// <summary>The name of the OAuth client to connect with: the partner's own, or a public one.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("oauthClient")]
    public string? OAuthClient { get; init; }

    /// <summary>
    /// Optional: a refresh token the partner already holds for this company, app and environment
    /// (moving from another broker). It is redeemed at once; the workspace is written only if Procore accepts it.
    /// </summary>
    public string? RefreshToken { get; init; }

    /// <summary>Optional: the partner's labels, replacing the current ones; left out, they stay as they are.</summary>
    public Dictionary<string, string?>? Tags { get; init; }

    /// <summary>Never the refresh token: a record would print it.</summary>
    public override string ToString() =>
        $"{nameof(ConnectionRequest)} {{ company {CompanyId}, {Environment}, client {OAuthClient}, refresh token {(RefreshToken is null ? "none" : "given")}, {Tags?.Count ?? 0} tags }}";

    /// <summary>
    /// The fields connections had before OAuth clients were a resource of their own, and where each went.
    /// A body that still carries one is refused with this message under the field's name.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> MovedFields = new[] { "authFlow", "clientId", "clientSecret", "clientSecretExpiresAt", "redirectUri" }
        .ToDictionary(f => f, f => $"'{f}' moved to OAuth clients: create one with PUT /api/oauth-clients/{{name}} and name it here as 'oauthClient'.", StringComparer.Ordinal);
}
