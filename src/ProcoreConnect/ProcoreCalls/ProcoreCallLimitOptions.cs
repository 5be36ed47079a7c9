using System.ComponentModel.DataAnnotations;

namespace ProcoreConnect.ProcoreCalls;

/// <summary>
/// Each partner's budget on the Procore proxy, per instance, apart from the shared window of the
/// configuration endpoints: calls in flight, and a token bucket of calls per second. Generous for a
/// sync loop (Procore itself allows a token about one call a second over the hour); what it stops is
/// one partner flooding the route, answered locally or not, and crowding out the others.
/// </summary>
public sealed class ProcoreCallLimitOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "ProcoreCalls:PartnerLimit";

    /// <summary>A partner's calls through the proxy in flight at once.</summary>
    [Range(1, 100_000)]
    public int Concurrency { get; set; } = 64;

    /// <summary>A partner's calls per second, on average.</summary>
    [Range(1, 1_000_000)]
    public int PerSecond { get; set; } = 100;

    /// <summary>A partner's calls in a burst above <see cref="PerSecond"/> (the bucket's size).</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 200;
}
