using System.Globalization;
using System.Text;

namespace ProcoreConnect.Http;

/// <summary>
/// The one rule for a name a partner or operator chooses that a person reads on a page (a
/// partner's display name, an OAuth client's): visible plain text that cannot pass for the
/// service, for Procore, or for the partner id the page prints beside it.
/// </summary>
public static class DisplayText
{
    // Blank characters outside the categories refused wholesale (controls, formats, separators):
    // Hangul fillers (Lo), the braille blank and other blank symbols (So), invisible combining marks
    // (Mn). After the lists at invisible-characters.com and Zed's invisibles.
    private static readonly HashSet<int> Blanks =
        [0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x2800, 0x3164, 0xFFA0, 0xFFFC, 0x1D159];

    private static readonly string[] Reserved = ["procore", "procore connect"];

    /// <summary>The text that shows the partner id on a page; a name with it could claim another's id.</summary>
    public const string PartnerIdMarker = "(partner ";

    /// <summary>What a refused name is told.</summary>
    public static string Rule(int maxLength) =>
        $"Plain text of 1 to {maxLength} characters once trimmed, with at least one letter or digit: no < or >, no control, "
        + "formatting (bidi, zero-width) or line-separator characters, no blank fillers (e.g. U+3164, U+2800); "
        + $"not \"Procore\" or \"Procore Connect\", and without \"{PartnerIdMarker}\", which the pages use to show the partner id.";

    /// <summary>The name as stored (trimmed), or null when it breaks the rule.</summary>
    public static string? Clean(string text, int maxLength)
    {
        var name = text.Trim();
        if (name.Length is 0 || name.Length > maxLength || !AllVisible(name, out var letterOrDigit) || !letterOrDigit)
        {
            return null;
        }

        // Compared as a person reads it: full-width ASCII folded (the app runs with invariant
        // globalization, where string.Normalize does not fold them), any run of spaces as one (a page
        // collapses them anyway), case ignored.
        var folded = string.Concat(name.Select(c => c is >= '\uFF01' and <= '\uFF5E' ? (char)(c - 0xFEE0) : c));
        var read = string.Join(' ', folded.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return Reserved.Contains(read, StringComparer.OrdinalIgnoreCase) || read.Contains(PartnerIdMarker, StringComparison.OrdinalIgnoreCase) ? null : name;
    }

    // False at the first refused character, or at a lone surrogate (not text at all).
    private static bool AllVisible(string name, out bool letterOrDigit)
    {
        letterOrDigit = false;
        var i = 0;
        while (i < name.Length)
        {
            if (Rune.DecodeFromUtf16(name.AsSpan(i), out var rune, out var used) != System.Buffers.OperationStatus.Done || IsRefused(rune))
            {
                return false;
            }

            letterOrDigit |= Rune.IsLetterOrDigit(rune);
            i += used;
        }

        return true;
    }

    private static bool IsRefused(Rune rune) => rune.Value is '<' or '>' || Blanks.Contains(rune.Value) || Rune.GetUnicodeCategory(rune) is
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
        or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;
}
