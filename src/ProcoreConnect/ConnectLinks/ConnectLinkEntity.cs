using Azure;
using Azure.Data.Tables;
using ProcoreConnect.Common;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.ConnectLinks;

/// <summary>The <c>ConnectLinks</c> row: PartitionKey = RowKey = SHA-256 of the token, so a table reader cannot open a link.</summary>
internal sealed class ConnectLinkEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string PartnerId { get; set; } = "";
    public string WorkspaceId { get; set; } = "";
    public string WorkspaceKey { get; set; } = "";
    public string? ReturnUrl { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public string? ClaimedBy { get; set; }
    public DateTimeOffset? ClaimExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
    public string? LastOutcome { get; set; }
    public bool Reconnect { get; set; }

    public static ConnectLinkEntity From(ConnectLink link) => new()
    {
        PartitionKey = link.Id,
        RowKey = link.Id,
        ETag = link.ETag,
        PartnerId = link.Workspace.PartnerId,
        WorkspaceId = link.Workspace.Id,
        WorkspaceKey = link.WorkspaceKey,
        ReturnUrl = link.ReturnUrl?.ToString(),
        CreatedAt = link.CreatedAt,
        ExpiresAt = link.ExpiresAt,
        ClaimedBy = link.ClaimedBy,
        ClaimExpiresAt = link.ClaimExpiresAt,
        UsedAt = link.UsedAt,
        LastOutcome = link.LastOutcome is { } outcome ? WireName.Of(outcome) : null,
        Reconnect = link.Reconnect,
    };

    public ConnectLink ToLink() => new()
    {
        Id = RowKey,
        Workspace = new WorkspaceRef(PartnerId, WorkspaceId),
        WorkspaceKey = WorkspaceKey,
        ReturnUrl = ReturnUrl is null ? null : new Uri(ReturnUrl),
        CreatedAt = CreatedAt,
        ExpiresAt = ExpiresAt,
        ClaimedBy = ClaimedBy,
        ClaimExpiresAt = ClaimExpiresAt,
        UsedAt = UsedAt,
        LastOutcome = LastOutcome is null ? null : WireName.Parse<ConnectLinkOutcome>(LastOutcome),
        Reconnect = Reconnect,
        ETag = ETag,
    };
}
