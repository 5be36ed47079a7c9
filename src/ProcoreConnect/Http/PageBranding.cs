namespace ProcoreConnect.Http;

/// <summary>
/// The partner a page of the service speaks for: the name it chose, the partner id the operator
/// gave it (which no partner can choose, so two partners' pages never read the same), and the logo
/// and colour it set. Every value was checked when it was set, and is encoded again on the page.
/// </summary>
/// <param name="DisplayName">The partner's display name; null when it set none (the partner id stands in).</param>
/// <param name="PartnerId">The partner's id.</param>
/// <param name="Logo">An https image URL (http on loopback in development), or null.</param>
/// <param name="Color">A <c>#rrggbb</c> colour, or null for the service's own.</param>
public sealed record PageBranding(string? DisplayName, string PartnerId, Uri? Logo, string? Color)
{
    /// <summary>True for a colour written <c>#rrggbb</c>, the only form a page writes into its stylesheet.</summary>
    public static bool IsColor(string? text) => text is ['#', _, _, _, _, _, _] && text.Skip(1).All(char.IsAsciiHexDigit);

    /// <summary>How the page names the partner.</summary>
    public string Name => DisplayName ?? PartnerId;

    /// <summary>The logo's origin as a CSP source (<c>scheme://host[:port]</c>, the host in its ASCII form), or null.</summary>
    public string? LogoSource => Logo is null
        ? null
        : $"{Logo.Scheme}://{Logo.IdnHost}{(Logo.IsDefaultPort ? "" : ":" + Logo.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))}";
}
