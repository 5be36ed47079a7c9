using Azure;
using Azure.Data.Tables;
using ProcoreConnect.Common;
using ProcoreConnect.Secrets;

namespace ProcoreConnect.Workspaces;

/// <summary>The <c>Workspaces</c> table row. PartitionKey = RowKey = workspace id; one row per workspace.</summary>
internal sealed class WorkspaceEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string OwnerPartnerId { get; set; } = "";
    public long CompanyId { get; set; }
    public string Environment { get; set; } = "";
    public string AuthFlow { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string SecretPrefix { get; set; } = "";
    public string ClientSecretName { get; set; } = "";
    public string ClientSecretVersion { get; set; } = "";
    public DateTimeOffset ClientSecretUpdatedAt { get; set; }
    public string? RedirectUri { get; set; }
    public string Status { get; set; } = "";
    public string? TokensName { get; set; }
    public string? TokensVersion { get; set; }
    public DateTimeOffset? AccessTokenIssuedAt { get; set; }
    public DateTimeOffset? AccessTokenExpiresAt { get; set; }
    public DateTimeOffset? RefreshDueAt { get; set; }
    public DateTimeOffset? ClientSecretExpiresAt { get; set; }
    public bool ClientSecretExpiringSoon { get; set; }
    public DateTimeOffset? LastCheckedAt { get; set; }
    public bool? LastCheckOk { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public static WorkspaceEntity From(Workspace w) => new()
    {
        PartitionKey = w.Id,
        RowKey = w.Id,
        ETag = w.ETag,
        OwnerPartnerId = w.OwnerPartnerId,
        CompanyId = w.CompanyId,
        Environment = WireName.Of(w.Environment),
        AuthFlow = WireName.Of(w.AuthFlow),
        ClientId = w.ClientId,
        SecretPrefix = w.SecretPrefix,
        ClientSecretName = w.ClientSecret.Name,
        ClientSecretVersion = w.ClientSecret.Version,
        ClientSecretUpdatedAt = w.ClientSecretUpdatedAt,
        RedirectUri = w.RedirectUri?.ToString(),
        Status = WireName.Of(w.Status),
        TokensName = w.Tokens?.Name,
        TokensVersion = w.Tokens?.Version,
        AccessTokenIssuedAt = w.AccessTokenIssuedAt,
        AccessTokenExpiresAt = w.AccessTokenExpiresAt,
        RefreshDueAt = w.RefreshDueAt,
        ClientSecretExpiresAt = w.ClientSecretExpiresAt,
        ClientSecretExpiringSoon = w.ClientSecretExpiringSoon,
        LastCheckedAt = w.LastCheckedAt,
        LastCheckOk = w.LastCheckOk,
        LastError = w.LastError,
        CreatedAt = w.CreatedAt,
        UpdatedAt = w.UpdatedAt,
    };

    public Workspace ToWorkspace() => new()
    {
        Id = PartitionKey,
        ETag = ETag,
        OwnerPartnerId = OwnerPartnerId,
        CompanyId = CompanyId,
        Environment = WireName.Parse<ProcoreEnvironment>(Environment),
        AuthFlow = WireName.Parse<AuthFlow>(AuthFlow),
        ClientId = ClientId,
        SecretPrefix = SecretPrefix,
        ClientSecret = new SecretReference(ClientSecretName, ClientSecretVersion),
        ClientSecretUpdatedAt = ClientSecretUpdatedAt,
        RedirectUri = RedirectUri is null ? null : new Uri(RedirectUri),
        Status = WireName.Parse<WorkspaceStatus>(Status),
        Tokens = Reference(TokensName, TokensVersion),
        AccessTokenIssuedAt = AccessTokenIssuedAt,
        AccessTokenExpiresAt = AccessTokenExpiresAt,
        RefreshDueAt = RefreshDueAt,
        ClientSecretExpiresAt = ClientSecretExpiresAt,
        ClientSecretExpiringSoon = ClientSecretExpiringSoon,
        LastCheckedAt = LastCheckedAt,
        LastCheckOk = LastCheckOk,
        LastError = LastError,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
    };

    private static SecretReference? Reference(string? name, string? version) =>
        name is null || version is null ? null : new SecretReference(name, version);
}
