using ProcoreConnect.Events;
using ProcoreConnect.Http;

namespace ProcoreConnect.Partners;

/// <summary>
/// What a partner may put on the pages a person opens: a name under the rule for every shown name
/// (<see cref="DisplayText"/>), a logo URL that follows the rule for every partner URL
/// (<see cref="PartnerUrl"/>), a strict <c>#rrggbb</c> colour. Checked when set, and encoded again on every page.
/// </summary>
public static class PartnerBranding
{
    /// <summary>The longest display name.</summary>
    public const int MaxNameLength = 80;

    /// <summary>What a refused <c>displayName</c> is told.</summary>
    public static readonly string NameRule = DisplayText.Rule(MaxNameLength);

    /// <summary>What a refused <c>logoUrl</c> is told.</summary>
    public const string LogoRule =
        "An absolute https URL of an image (at most 2048 characters), without credentials, on a public host name or IPv4 address: people's browsers fetch it.";

    /// <summary>What a refused <c>brandColor</c> is told.</summary>
    public const string ColorRule = "A colour written #rrggbb (six hex digits), e.g. #0a5cc2.";

    /// <summary>The name as stored (trimmed), or null when it breaks <see cref="DisplayText"/>'s rule.</summary>
    public static string? Name(string text) => DisplayText.Clean(text, MaxNameLength);

    /// <summary>
    /// The logo URL, or null when it is not acceptable. An IPv6 literal is refused too: the page's
    /// CSP names the logo's origin, and a CSP host cannot be one.
    /// </summary>
    public static Uri? Logo(string text, bool allowInsecureLoopback) =>
        PartnerUrl.TryParse(text, allowInsecureLoopback, out var url) && url!.HostNameType != UriHostNameType.IPv6 ? url : null;

    /// <summary>The colour in lower case, or null when it is not <c>#rrggbb</c>.</summary>
    public static string? Color(string text) =>
        PageBranding.IsColor(text) ? text.ToLowerInvariant() : null;
}
