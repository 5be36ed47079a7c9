using System.ComponentModel.DataAnnotations;

namespace ProcoreConnect.Webhooks;

/// <summary>Procore deliveries kept by the service.</summary>
public sealed class WebhookOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Webhooks";

    /// <summary>
    /// How long a stored delivery is kept; the <c>PurgeDeletedWorkspaces</c> timer deletes older
    /// ones. Procore retries a delivery for at most 12 hours, so a duplicate never arrives after
    /// its first copy has expired.
    /// </summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan DeliveryRetention { get; set; } = TimeSpan.FromDays(30);
}
