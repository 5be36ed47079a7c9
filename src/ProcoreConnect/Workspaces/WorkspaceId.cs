using System.Text.RegularExpressions;

namespace ProcoreConnect.Workspaces;

/// <summary>
/// The shape of a workspace id: 1 to 64 characters of lower-case letters, digits and hyphens,
/// starting with a letter or digit. Lower case only because Key Vault secret names (built from
/// the id) are case-insensitive, and the shape keeps ids safe in URLs, table keys and filters.
/// The patterns end in <c>\z</c>, not <c>$</c>, which also matches before a final newline.
/// </summary>
public static partial class WorkspaceId
{
    /// <summary>The rule, in words, for error messages and docs.</summary>
    public const string Rule = "1 to 64 characters: lower-case letters a-z, digits and '-', starting with a letter or digit.";

    /// <summary>True when <paramref name="id"/> has the documented shape.</summary>
    public static bool IsValid(string? id) => id is not null && Shape().IsMatch(id);

    /// <summary>True when <paramref name="key"/> has the shape of a workspace key: an id, '-', 16 hex digits (8 for workspaces migrated from before keys).</summary>
    public static bool IsKey(string? key) => key is not null && KeyShape().IsMatch(key);

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,63}-([0-9a-f]{8}|[0-9a-f]{16})\z", RegexOptions.CultureInvariant)]
    private static partial Regex KeyShape();
}
