namespace ProcoreConnect.Common;

/// <summary>The result of a write: the status, the resource when there is one, and why when there is not.</summary>
public sealed record WriteOutcome<T>(WriteStatus Status, T? Value = null, string? Detail = null, string? Field = null)
    where T : class;
