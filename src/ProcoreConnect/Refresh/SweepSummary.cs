namespace ProcoreConnect.Refresh;

/// <summary>Counts of one sweep.</summary>
public sealed record SweepSummary(int Due, int Enqueued, int Refreshed, int Skipped, int Failed);
