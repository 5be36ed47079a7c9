namespace ProcoreConnect.ProcoreCalls;

/// <summary>One status Procore's Integration Health counts against an app, how often the workspace's calls got it, and the fix.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Name">Its name.</param>
/// <param name="Count">Calls that ended with it in the window.</param>
/// <param name="Fix">What stops it.</param>
public sealed record HealthObservation(int Status, string Name, int Count, string Fix);
