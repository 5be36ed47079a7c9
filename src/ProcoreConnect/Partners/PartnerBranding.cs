using System.Globalization;
using ProcoreConnect.Events;
using ProcoreConnect.Http;

namespace ProcoreConnect.Partners;

/// <summary>
/// What a partner may put on the pages a person opens: a name that is plain text, a logo URL that
/// follows the rule for every partner URL (<see cref="PartnerUrl"/>), a strict <c>#rrggbb</c>
/// colour. Checked when set, and encoded again on every page.
/// </summary>
public static class PartnerBranding
{
    /// <summary>The longest display name.</summary>
    public const int MaxNameLength = 80;

    /// <summary>What a refused <c>displayName</c> is told.</summary>
    public static readonly string NameRule =
        $"Plain text of 1 to {MaxNameLength} characters: no < or >, no control or invisible formatting characters, not only spaces.";

    /// <summary>What a refused <c>logoUrl</c> is told.</summary>
    public const string LogoRule =
        "An absolute https URL of an image (at most 2048 characters), without credentials, on a public host name or IPv4 address: people's browsers fetch it.";

    /// <summary>What a refused <c>brandColor</c> is told.</summary>
    public const string ColorRule = "A colour written #rrggbb (six hex digits), e.g. #0a5cc2.";

    /// <summary>The name as stored (trimmed), or null when it is not acceptable.</summary>
    public static string? Name(string text)
    {
        var name = text.Trim();
        return name.Length is > 0 and <= MaxNameLength && !name.Any(IsRefused) ? name : null;

        // Markup, controls and formatting characters (bidi overrides, zero-width joiners) could make a
        // name read as another's, or break out of a page that forgot to encode it.
        static bool IsRefused(char c) => c is '<' or '>' || char.IsControl(c) || char.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator;
    }

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
