namespace ProcoreConnect.Clients;

/// <summary>An OAuth client as callers see it. Carries no secret.</summary>
public sealed record OAuthClientResponse
{
    /// <summary>The client's name.</summary>
    public required string Name { get; init; }

    /// <summary>The display name, if any.</summary>
    public string? DisplayName { get; init; }

    /// <summary>True for a public client, offered by the operator to every partner.</summary>
    public required bool Public { get; init; }

    /// <summary>The auth flow.</summary>
    public required AuthFlow AuthFlow { get; init; }

    /// <summary>Procore's client id.</summary>
    public required string ClientId { get; init; }

    /// <summary>Whether a secret is set, since when, and whether Procore refused it. Never its value.</summary>
    public required ClientSecretStatus ClientSecret { get; init; }

    /// <summary>The redirect URI, if one was configured.</summary>
    public Uri? RedirectUri { get; init; }

    /// <summary>For a client-credentials client: since when its shared token cannot be had, null while it can (the worst environment's; see <see cref="TokenHealth"/>).</summary>
    public DateTimeOffset? BrokenSince { get; init; }

    /// <summary>Why: invalid_client or refresh_failing.</summary>
    public string? BrokenReason { get; init; }

    /// <summary>When its token may be tried again, while backing off after failures.</summary>
    public DateTimeOffset? RetryAt { get; init; }

    /// <summary>Each environment whose shared token is failing or backing off, with its state; empty while all work.</summary>
    public IReadOnlyList<ClientTokenHealth> TokenHealth { get; init; } = [];

    /// <summary>
    /// For a partner reading a public client (single reads only): the companies the operator grants
    /// it there; absent when every company is allowed (its own clients, a public code-flow client
    /// without a grant) or the caller is the operator.
    /// </summary>
    public IReadOnlyList<long>? GrantedCompanyIds { get; init; }

    /// <summary>How many of the caller's workspaces use the client (single reads only).</summary>
    public int? WorkspaceCount { get; init; }

    /// <summary>When the client was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The response for a stored client.</summary>
    public static OAuthClientResponse From(OAuthClient c, int? workspaceCount = null, CompanyScope? scope = null) => new()
    {
        Name = c.Ref.Name,
        DisplayName = c.DisplayName,
        Public = c.Ref.IsPublic,
        AuthFlow = c.AuthFlow,
        ClientId = c.ClientId,
        ClientSecret = new ClientSecretStatus(true, c.ClientSecretUpdatedAt, c.ClientSecretExpiresAt, c.ClientSecretExpiringSoon,
            c.SecretRefusedAnywhere),
        RedirectUri = c.RedirectUri,
        BrokenSince = c.WorstTokenHealth.Health.BrokenSince,
        BrokenReason = c.WorstTokenHealth.Health.BrokenReason,
        RetryAt = c.WorstTokenHealth.Health.RetryAt,
        TokenHealth = [.. c.TokenHealth.OrderBy(h => h.Key).Select(h => new ClientTokenHealth(h.Key, h.Value.BrokenSince, h.Value.BrokenReason, h.Value.Failures, h.Value.RetryAt))],
        WorkspaceCount = workspaceCount,
        GrantedCompanyIds = scope?.Companies,
        CreatedAt = c.CreatedAt,
        UpdatedAt = c.UpdatedAt,
    };
}

/// <summary>A page of OAuth clients; pass <c>continuationToken</c> back to get the next.</summary>
public sealed record OAuthClientListResponse(IReadOnlyList<OAuthClientResponse> Items, string? ContinuationToken);

/// <summary>The body of <c>PUT /api/oauth-clients/{name}/secret</c>.</summary>
public sealed record SecretRotationRequest
{
    /// <summary>The new client secret (write-only).</summary>
    public string? ClientSecret { get; init; }

    /// <summary>When the new secret expires, if known.</summary>
    public DateTimeOffset? ClientSecretExpiresAt { get; init; }

    /// <summary>Where to prove a client-credentials secret when no workspace uses the client yet.</summary>
    [Common.WireValues(typeof(Procore.ProcoreEnvironment))]
    public string? Environment { get; init; }

    /// <summary>Never the secret: a record would print it.</summary>
    public override string ToString() =>
        $"{nameof(SecretRotationRequest)} {{ ClientSecret = {(ClientSecret is null ? "absent" : "sent")}, ClientSecretExpiresAt = {ClientSecretExpiresAt:u}, Environment = {Environment} }}";
}
