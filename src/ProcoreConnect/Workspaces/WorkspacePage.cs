namespace ProcoreConnect.Workspaces;

/// <summary>One page of workspaces and the opaque token for the next, if any.</summary>
public sealed record WorkspacePage(IReadOnlyList<Workspace> Items, string? ContinuationToken);
