using System.ComponentModel.DataAnnotations;

namespace ProcoreConnect.Health;

/// <summary>How the health endpoint answers.</summary>
public sealed class HealthOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Health";

    /// <summary>
    /// How long an anonymous health answer is served from the last check. Every check reads the
    /// secret store (a Key Vault transaction) and Table Storage; an anonymous route must not let
    /// anyone spend those at the rate they can send requests.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "00:00:30")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(15);
}
