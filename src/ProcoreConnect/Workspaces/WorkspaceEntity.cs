using Azure;
using Azure.Data.Tables;
using ProcoreConnect.Clients;
using ProcoreConnect.Common;
using ProcoreConnect.Procore;
using ProcoreConnect.Secrets;

namespace ProcoreConnect.Workspaces;

/// <summary>The <c>Workspaces</c> table row. PartitionKey = partner id, RowKey = workspace id.</summary>
internal sealed class WorkspaceEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Key { get; set; } = "";
    public long CompanyId { get; set; }
    public string Environment { get; set; } = "";
    public string? CompanyName { get; set; }
    public long? CompanyNameId { get; set; }
    public string? CompanyNameEnvironment { get; set; }
    public string ClientOwner { get; set; } = "";
    public string ClientName { get; set; } = "";
    public string AuthFlow { get; set; } = "";
    public string Status { get; set; } = "";
    public string? TokensName { get; set; }
    public string? TokensVersion { get; set; }
    public DateTimeOffset? AccessTokenIssuedAt { get; set; }
    public DateTimeOffset? AccessTokenExpiresAt { get; set; }
    public DateTimeOffset? RefreshDueAt { get; set; }
    public DateTimeOffset? LastCheckedAt { get; set; }
    public bool? LastCheckOk { get; set; }
    public string? LastCheckReasons { get; set; }
    public string? LastError { get; set; }
    public string? Tags { get; set; }
    public DateTimeOffset? BrokenSince { get; set; }
    public string? BrokenReason { get; set; }
    public int RefreshFailures { get; set; }
    public DateTimeOffset? RetryAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public static WorkspaceEntity From(Workspace w) => new()
    {
        PartitionKey = w.PartnerId,
        RowKey = w.Id,
        ETag = w.ETag,
        Key = w.Key,
        CompanyId = w.CompanyId,
        Environment = WireName.Of(w.Environment),
        CompanyName = w.KnownCompanyName?.Name,
        CompanyNameId = w.KnownCompanyName?.CompanyId,
        CompanyNameEnvironment = w.KnownCompanyName is { } known ? WireName.Of(known.Environment) : null,
        ClientOwner = w.Client.Owner,
        ClientName = w.Client.Name,
        AuthFlow = WireName.Of(w.AuthFlow),
        Status = WireName.Of(w.Status),
        TokensName = w.Tokens?.Name,
        TokensVersion = w.Tokens?.Version,
        AccessTokenIssuedAt = w.AccessTokenIssuedAt,
        AccessTokenExpiresAt = w.AccessTokenExpiresAt,
        RefreshDueAt = w.RefreshDueAt,
        LastCheckedAt = w.LastCheckedAt,
        LastCheckOk = w.LastCheckOk,
        LastCheckReasons = w.LastCheckReasons.Count == 0 ? null : System.Text.Json.JsonSerializer.Serialize(w.LastCheckReasons),
        LastError = w.LastError,
        Tags = w.Tags.Count == 0 ? null : System.Text.Json.JsonSerializer.Serialize(w.Tags),
        BrokenSince = w.Health.BrokenSince,
        BrokenReason = w.Health.BrokenReason,
        RefreshFailures = w.Health.Failures,
        RetryAt = w.Health.RetryAt,
        CreatedAt = w.CreatedAt,
        UpdatedAt = w.UpdatedAt,
    };

    public Workspace ToWorkspace() => new()
    {
        Id = RowKey,
        PartnerId = PartitionKey,
        ETag = ETag,
        Key = Key,
        CompanyId = CompanyId,
        Environment = WireName.Parse<ProcoreEnvironment>(Environment),
        KnownCompanyName = CompanyName is { } name && CompanyNameId is { } nameId && CompanyNameEnvironment is { } nameEnvironment
            ? new KnownCompanyName(nameId, WireName.Parse<ProcoreEnvironment>(nameEnvironment), name)
            : null,
        Client = new OAuthClientRef(ClientOwner, ClientName),
        AuthFlow = WireName.Parse<AuthFlow>(AuthFlow),
        Status = WireName.Parse<WorkspaceStatus>(Status),
        Tokens = TokensName is null || TokensVersion is null ? null : new SecretReference(TokensName, TokensVersion),
        AccessTokenIssuedAt = AccessTokenIssuedAt,
        AccessTokenExpiresAt = AccessTokenExpiresAt,
        RefreshDueAt = RefreshDueAt,
        LastCheckedAt = LastCheckedAt,
        LastCheckOk = LastCheckOk,
        LastCheckReasons = LastCheckReasons is null ? [] : System.Text.Json.JsonSerializer.Deserialize<List<CheckReason>>(LastCheckReasons)!,
        LastError = LastError,
        Tags = Tags is null ? WorkspaceTags.None : System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(Tags)!,
        Health = new ConnectionHealth { BrokenSince = BrokenSince, BrokenReason = BrokenReason, Failures = RefreshFailures, RetryAt = RetryAt },
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
    };
}
