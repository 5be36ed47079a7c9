using System.ComponentModel.DataAnnotations;

namespace ProcoreConnect.Procore;

/// <summary>How the proxy shares one client-credentials (DMSA) token's Procore rate limit among the workspaces that use it.</summary>
public sealed class ProcoreFairShareOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "ProcoreCalls:FairShare";

    /// <summary>
    /// The part of Procore's reported limit, in percent, kept for workspaces below their share:
    /// while more than this is left anyone may call; at or below it a workspace that has used its
    /// share waits for the reset. 0 turns the fair share off (only the shared stop at 0 remains).
    /// </summary>
    [Range(0, 90)]
    public int ReservePercent { get; set; } = 20;
}
