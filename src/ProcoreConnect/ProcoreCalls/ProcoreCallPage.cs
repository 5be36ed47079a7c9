namespace ProcoreConnect.ProcoreCalls;

/// <summary>A page of a workspace's Procore calls, newest first.</summary>
/// <param name="Calls">The calls.</param>
/// <param name="ContinuationToken">Pass it back for the next page; null on the last.</param>
/// <param name="RetentionDays">How many days calls are kept.</param>
public sealed record ProcoreCallPage(IReadOnlyList<ProcoreCall> Calls, string? ContinuationToken, int RetentionDays);
