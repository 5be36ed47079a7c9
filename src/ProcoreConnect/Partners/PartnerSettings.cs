using ProcoreConnect.Http;

namespace ProcoreConnect.Partners;

/// <summary>A partner's own settings of the service.</summary>
/// <param name="AllowedReturnOrigins">Origins (<c>scheme://host[:port]</c>) this partner's <c>returnUrl</c>s may point at.</param>
/// <param name="UpdatedAt">When they last changed; null while never set.</param>
public sealed record PartnerSettings(IReadOnlyList<string> AllowedReturnOrigins, DateTimeOffset? UpdatedAt)
{
    /// <summary>A partner that set nothing yet: no return URL is allowed.</summary>
    public static readonly PartnerSettings None = new([], null);

    /// <summary>The name the pages a person opens call the partner by; null: its partner id.</summary>
    public string? DisplayName { get; init; }

    /// <summary>The partner's logo on those pages, or null.</summary>
    public Uri? LogoUrl { get; init; }

    /// <summary>The partner's colour on those pages (<c>#rrggbb</c>), or null for the service's own.</summary>
    public string? BrandColor { get; init; }

    /// <summary>How the pages a person opens for <paramref name="partnerId"/> show the partner.</summary>
    public PageBranding BrandingFor(string partnerId) => new(DisplayName, partnerId, LogoUrl, BrandColor);
}

/// <summary>The body of <c>PUT /api/partner/settings</c>: replaces every setting (an absent optional one is cleared).</summary>
public sealed record PartnerSettingsRequest
{
    /// <summary>Origins the caller's <c>returnUrl</c>s may point at: https (http only on loopback), no path, query or credentials; at most 20. Replaces the list.</summary>
    public IReadOnlyList<string>? AllowedReturnOrigins { get; init; }

    /// <summary>Optional: the name people see on connect-link and callback pages (else the partner id).</summary>
    public string? DisplayName { get; init; }

    /// <summary>Optional: an https image URL shown beside the name on those pages.</summary>
    public string? LogoUrl { get; init; }

    /// <summary>Optional: a colour as <c>#rrggbb</c> for those pages' button and accent.</summary>
    public string? BrandColor { get; init; }
}
