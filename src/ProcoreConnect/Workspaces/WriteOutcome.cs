namespace ProcoreConnect.Workspaces;

/// <summary>The result of a workspace write: the status, the workspace when there is one, and why when there is not.</summary>
public sealed record WriteOutcome(WriteStatus Status, Workspace? Workspace = null, string? Detail = null, string? Field = null);
