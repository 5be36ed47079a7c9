using System.ComponentModel.DataAnnotations;

namespace ProcoreConnect.Security;

/// <summary>
/// Per-partner limits on the calls that spend Key Vault or Procore quota (the endpoints that
/// carry <see cref="RateLimited"/>): a fixed window per partner, per instance.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RateLimits";

    /// <summary>Calls a partner may make in one window, all limited functions together.</summary>
    [Range(1, int.MaxValue)]
    public int PermitLimit { get; set; } = 60;

    /// <summary>The window's length.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
