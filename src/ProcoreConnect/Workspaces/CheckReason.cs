namespace ProcoreConnect.Workspaces;

/// <summary>One step of a connection check that failed, as recorded on the workspace: the step's name and what was seen.</summary>
/// <param name="Check">The step: <c>token</c>, <c>me</c>, <c>companies</c>, <c>company</c> or <c>projects</c>.</param>
/// <param name="Detail">What the step saw, in words safe to show.</param>
public sealed record CheckReason(string Check, string Detail);
