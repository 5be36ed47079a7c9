using Azure;
using Azure.Data.Tables;
using ProcoreConnect.Common;
using ProcoreConnect.Procore;
using ProcoreConnect.Secrets;


namespace ProcoreConnect.Clients;

/// <summary>The <c>OAuthClients</c> table row. PartitionKey = owner (partner id or <c>_public</c>), RowKey = client name.</summary>
internal sealed class OAuthClientEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string? DisplayName { get; set; }
    public string AuthFlow { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string? RedirectUri { get; set; }
    public string SecretPrefix { get; set; } = "";
    public string ClientSecretName { get; set; } = "";
    public string ClientSecretVersion { get; set; } = "";
    public DateTimeOffset ClientSecretUpdatedAt { get; set; }
    public DateTimeOffset? ClientSecretExpiresAt { get; set; }
    public bool ClientSecretExpiringSoon { get; set; }
    public string Status { get; set; } = "";
    // JSON: {"production": {"BrokenSince": …, "BrokenReason": …, "Failures": …, "RetryAt": …}, …}, null when all work.
    public string? TokenHealth { get; set; }
    public DateTimeOffset? SharedTokensRevokedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public static OAuthClientEntity From(OAuthClient c) => new()
    {
        PartitionKey = c.Ref.Owner,
        RowKey = c.Ref.Name,
        ETag = c.ETag,
        DisplayName = c.DisplayName,
        AuthFlow = WireName.Of(c.AuthFlow),
        ClientId = c.ClientId,
        RedirectUri = c.RedirectUri?.ToString(),
        SecretPrefix = c.SecretPrefix,
        ClientSecretName = c.ClientSecret.Name,
        ClientSecretVersion = c.ClientSecret.Version,
        ClientSecretUpdatedAt = c.ClientSecretUpdatedAt,
        ClientSecretExpiresAt = c.ClientSecretExpiresAt,
        ClientSecretExpiringSoon = c.ClientSecretExpiringSoon,
        Status = WireName.Of(c.Status),
        TokenHealth = c.TokenHealth.Count == 0 ? null
            : System.Text.Json.JsonSerializer.Serialize(c.TokenHealth.ToDictionary(h => WireName.Of(h.Key), h => h.Value)),
        SharedTokensRevokedAt = c.SharedTokensRevokedAt,
        CreatedAt = c.CreatedAt,
        UpdatedAt = c.UpdatedAt,
    };

    public OAuthClient ToClient() => new()
    {
        Ref = new OAuthClientRef(PartitionKey, RowKey),
        ETag = ETag,
        DisplayName = DisplayName,
        AuthFlow = WireName.Parse<AuthFlow>(AuthFlow),
        ClientId = ClientId,
        RedirectUri = RedirectUri is null ? null : new Uri(RedirectUri),
        SecretPrefix = SecretPrefix,
        ClientSecret = new SecretReference(ClientSecretName, ClientSecretVersion),
        ClientSecretUpdatedAt = ClientSecretUpdatedAt,
        ClientSecretExpiresAt = ClientSecretExpiresAt,
        ClientSecretExpiringSoon = ClientSecretExpiringSoon,
        Status = WireName.Parse<OAuthClientStatus>(Status),
        TokenHealth = TokenHealth is null ? new Dictionary<ProcoreEnvironment, ConnectionHealth>()
            : System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, ConnectionHealth>>(TokenHealth)!
                .ToDictionary(h => WireName.Parse<ProcoreEnvironment>(h.Key), h => h.Value),
        SharedTokensRevokedAt = SharedTokensRevokedAt,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
    };
}
