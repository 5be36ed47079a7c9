namespace ProcoreConnect.Workspaces;

/// <summary>A page of workspaces; pass <c>continuationToken</c> back to get the next.</summary>
public sealed record WorkspaceListResponse(IReadOnlyList<ConnectionResponse> Items, string? ContinuationToken);
