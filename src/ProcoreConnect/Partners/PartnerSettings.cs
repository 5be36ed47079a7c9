namespace ProcoreConnect.Partners;

/// <summary>A partner's own settings of the service.</summary>
/// <param name="AllowedReturnOrigins">Origins (<c>scheme://host[:port]</c>) this partner's <c>returnUrl</c>s may point at.</param>
/// <param name="UpdatedAt">When they last changed; null while never set.</param>
public sealed record PartnerSettings(IReadOnlyList<string> AllowedReturnOrigins, DateTimeOffset? UpdatedAt)
{
    /// <summary>A partner that set nothing yet: no return URL is allowed.</summary>
    public static readonly PartnerSettings None = new([], null);
}

/// <summary>The body of <c>PUT /api/partner/settings</c>.</summary>
public sealed record PartnerSettingsRequest
{
    /// <summary>Origins the caller's <c>returnUrl</c>s may point at: https (http only on loopback), no path, query or credentials; at most 20. Replaces the list.</summary>
    public IReadOnlyList<string>? AllowedReturnOrigins { get; init; }
}
