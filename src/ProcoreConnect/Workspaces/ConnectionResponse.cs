using System.Text.Json.Serialization;
using ProcoreConnect.Clients;
using ProcoreConnect.Procore;

namespace ProcoreConnect.Workspaces;

/// <summary>A workspace's connection as partners see it. Carries no secret.</summary>
public sealed record ConnectionResponse
{
    /// <summary>The workspace id.</summary>
    public required string WorkspaceId { get; init; }

    /// <summary>The Procore company id.</summary>
    public required long CompanyId { get; init; }

    /// <summary>The Procore environment.</summary>
    public required ProcoreEnvironment Environment { get; init; }

    /// <summary>The OAuth client's name.</summary>
    [JsonPropertyName("oauthClient")]
    public required string OAuthClient { get; init; }

    /// <summary>Whether the client is a public one (offered by the operator to every partner).</summary>
    [JsonPropertyName("oauthClientPublic")]
    public required bool OAuthClientPublic { get; init; }

    /// <summary>The client's auth flow.</summary>
    public required AuthFlow AuthFlow { get; init; }

    /// <summary>The connection's status.</summary>
    public required WorkspaceStatus Status { get; init; }

    /// <summary>When the current access token expires, once connected (authorization code; a client-credentials token is the client's).</summary>
    public DateTimeOffset? AccessTokenExpiresAt { get; init; }

    /// <summary>When the connection health check last ran.</summary>
    public DateTimeOffset? LastCheckedAt { get; init; }

    /// <summary>Whether it passed.</summary>
    public bool? LastCheckOk { get; init; }

    /// <summary>The steps the last check failed, each with what it saw (empty when it passed or never ran); <c>lastError</c> holds its fix.</summary>
    public IReadOnlyList<CheckReason> LastCheckReasons { get; init; } = [];

    /// <summary>The last connection or refresh error.</summary>
    public string? LastError { get; init; }

    /// <summary>Since when the connection is broken, null while it works.</summary>
    public DateTimeOffset? BrokenSince { get; init; }

    /// <summary>Why it is broken: needs_reauthorization, invalid_client, refresh_failing or check_failing.</summary>
    public string? BrokenReason { get; init; }

    /// <summary>When the next refresh may be tried, while backing off after failures.</summary>
    public DateTimeOffset? RetryAt { get; init; }

    /// <summary>The partner's own labels.</summary>
    public required IReadOnlyDictionary<string, string> Tags { get; init; }

    /// <summary>The REST API base URL of the workspace's environment.</summary>
    public required Uri ApiBaseUrl { get; init; }

    /// <summary>When the workspace was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The response for a stored workspace.</summary>
    public static ConnectionResponse From(Workspace w, ProcoreOptions procore) => new()
    {
        WorkspaceId = w.Id,
        CompanyId = w.CompanyId,
        Environment = w.Environment,
        OAuthClient = w.Client.Name,
        OAuthClientPublic = w.Client.IsPublic,
        AuthFlow = w.AuthFlow,
        Status = w.Status,
        AccessTokenExpiresAt = w.AccessTokenExpiresAt,
        LastCheckedAt = w.LastCheckedAt,
        LastCheckOk = w.LastCheckOk,
        LastCheckReasons = w.LastCheckReasons,
        LastError = w.LastError,
        BrokenSince = w.Health.BrokenSince,
        BrokenReason = w.Health.BrokenReason,
        RetryAt = w.Health.RetryAt,
        Tags = w.Tags,
        ApiBaseUrl = procore.For(w.Environment).ApiBaseUrl,
        CreatedAt = w.CreatedAt,
        UpdatedAt = w.UpdatedAt,
    };
}
