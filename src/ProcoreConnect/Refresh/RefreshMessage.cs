using System.Text.Json.Serialization;
using ProcoreConnect.Clients;
using ProcoreConnect.Common;
using ProcoreConnect.Procore;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Refresh;

/// <summary>The body of a refresh queue message: one due-index entry, as JSON.</summary>
public sealed record RefreshMessage
{
    /// <summary><c>workspace</c> or <c>client_token</c>.</summary>
    [JsonPropertyName("kind")]
    public string? Kind { get; init; }

    /// <summary>The workspace's partner (workspace entries).</summary>
    [JsonPropertyName("partnerId")]
    public string? PartnerId { get; init; }

    /// <summary>The workspace's id (workspace entries).</summary>
    [JsonPropertyName("workspaceId")]
    public string? WorkspaceId { get; init; }

    /// <summary>The workspace's key: which creation of the id (workspace entries).</summary>
    [JsonPropertyName("workspaceKey")]
    public string? WorkspaceKey { get; init; }

    /// <summary>The client's owner (client token entries).</summary>
    [JsonPropertyName("clientOwner")]
    public string? ClientOwner { get; init; }

    /// <summary>The client's name (client token entries).</summary>
    [JsonPropertyName("clientName")]
    public string? ClientName { get; init; }

    /// <summary>The environment (client token entries).</summary>
    [JsonPropertyName("environment")]
    public string? Environment { get; init; }

    /// <summary>When the entry was due.</summary>
    [JsonPropertyName("dueAt")]
    public DateTimeOffset DueAt { get; init; }

    /// <summary>The message for an entry.</summary>
    public static RefreshMessage From(DueRefresh entry) => entry switch
    {
        DueWorkspace w => new RefreshMessage
        {
            Kind = "workspace", PartnerId = w.Workspace.PartnerId, WorkspaceId = w.Workspace.Id, WorkspaceKey = w.WorkspaceKey, DueAt = w.DueAt,
        },
        DueClientToken c => new RefreshMessage
        {
            Kind = "client_token", ClientOwner = c.Token.Client.Owner, ClientName = c.Token.Client.Name,
            Environment = WireName.Of(c.Token.Environment), DueAt = c.DueAt,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(entry)),
    };

    /// <summary>The entry this message names, or null when it is malformed (ids are checked for their shape).</summary>
    public DueRefresh? ToEntry() => Kind switch
    {
        "workspace" when WorkspaceId is { } id && Workspaces.WorkspaceId.IsValid(id) && Workspaces.WorkspaceId.IsValid(PartnerId)
            && Workspaces.WorkspaceId.IsKey(WorkspaceKey) && WorkspaceKey is { } key =>
            new DueWorkspace(new WorkspaceRef(PartnerId!, id), key, DueAt),
        "client_token" when ClientName is { } name && Workspaces.WorkspaceId.IsValid(name)
            && (ClientOwner == OAuthClientRef.PublicOwner || Workspaces.WorkspaceId.IsValid(ClientOwner))
            && WireName.TryParse<ProcoreEnvironment>(Environment, out var environment) =>
            new DueClientToken(new ClientTokenKey(new OAuthClientRef(ClientOwner!, name), environment), DueAt),
        _ => null,
    };
}
