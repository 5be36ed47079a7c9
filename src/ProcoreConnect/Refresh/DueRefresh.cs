namespace ProcoreConnect.Refresh;

/// <summary>A due-index entry: this workspace's token should be refreshed at <see cref="DueAt"/>.</summary>
public sealed record DueRefresh(string WorkspaceId, DateTimeOffset DueAt);
