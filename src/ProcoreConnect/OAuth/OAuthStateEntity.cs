using Azure;
using Azure.Data.Tables;

namespace ProcoreConnect.OAuth;

/// <summary>The <c>OAuthStates</c> row: PartitionKey = RowKey = SHA-256 of the state, so a table reader cannot replay one.</summary>
internal sealed class OAuthStateEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }
    public string PartnerId { get; set; } = "";
    public string WorkspaceId { get; set; } = "";
    public string WorkspaceKey { get; set; } = "";
    public string RedirectUri { get; set; } = "";
    public string? CodeVerifier { get; set; }
    public string? ReturnUrl { get; set; }
    public string? ConnectLink { get; set; }
    public string? BrowserBinding { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
