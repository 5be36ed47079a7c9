using System.Text.Json.Serialization;

namespace ProcoreConnect.Refresh;

/// <summary>A queue message: which workspace to refresh.</summary>
public sealed record RefreshMessage([property: JsonPropertyName("workspaceId")] string WorkspaceId);
