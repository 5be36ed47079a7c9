using System.Text.RegularExpressions;

namespace ProcoreConnect.Workspaces;

/// <summary>
/// The shape of a workspace id: 1 to 64 characters of lower-case letters, digits and hyphens,
/// starting with a letter or digit. Lower case only because Key Vault secret names (built from
/// the id) are case-insensitive, and the shape keeps ids safe in URLs, table keys and filters.
/// </summary>
public static partial class WorkspaceId
{
    /// <summary>The rule, in words, for error messages and docs.</summary>
    public const string Rule = "1 to 64 characters: lower-case letters a-z, digits and '-', starting with a letter or digit.";

    /// <summary>True when <paramref name="id"/> has the documented shape.</summary>
    public static bool IsValid(string? id) => id is not null && Shape().IsMatch(id);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
