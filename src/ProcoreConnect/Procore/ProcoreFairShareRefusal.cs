namespace ProcoreConnect.Procore;

/// <summary>Why a workspace's call on a shared token waits: it has used its fair share of Procore's window, and little is left.</summary>
/// <param name="Until">When Procore's reported window resets.</param>
/// <param name="Used">The workspace's calls in that window (this instance's count).</param>
/// <param name="Share">Its share: Procore's limit divided among the workspaces using the token.</param>
/// <param name="Workspaces">The workspaces using the token (this instance's view, over the last hour).</param>
/// <param name="Limit">Procore's limit for the window.</param>
/// <param name="Remaining">What Procore last said is left in the window.</param>
public sealed record ProcoreFairShareRefusal(DateTimeOffset Until, long Used, long Share, int Workspaces, long Limit, long Remaining);
