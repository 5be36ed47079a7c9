using System.Text.RegularExpressions;

namespace ProcoreConnect.Workspaces;

/// <summary>
/// A partner's own labels on a workspace (its customer id, its tenant, a region), to find
/// workspaces by with <c>GET /api/workspaces?tag.{key}=value</c>. Bounded, so a row stays small and
/// the index stays cheap: at most <see cref="MaxTags"/> tags; keys of <see cref="KeyRule"/>; values
/// of 1 to <see cref="MaxValueLength"/> characters, no control characters.
/// </summary>
public static partial class WorkspaceTags
{
    /// <summary>The most tags one workspace may carry.</summary>
    public const int MaxTags = 16;

    /// <summary>The longest tag value.</summary>
    public const int MaxValueLength = 256;

    /// <summary>The most <c>tag</c> filters one list call may combine.</summary>
    public const int MaxFilters = 4;

    /// <summary>The rule for keys, in words.</summary>
    public const string KeyRule = "1 to 64 characters: letters, digits, '_', '-' and '.', starting with a letter or digit";

    /// <summary>No tags.</summary>
    public static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>True when <paramref name="key"/> is a valid tag key.</summary>
    public static bool IsKey(string? key) => key is not null && KeyShape().IsMatch(key);

    /// <summary>Why <paramref name="value"/> is not a valid tag value, or null when it is.</summary>
    public static string? ValueProblem(string? value) =>
        string.IsNullOrEmpty(value) ? "must be a non-empty string"
        : value.Length > MaxValueLength ? $"must be at most {MaxValueLength} characters"
        : value.Any(char.IsControl) ? "must not contain control characters"
        : null;

    /// <summary>Every problem of a set of tags, as field path and message; empty when valid.</summary>
    public static IEnumerable<(string Field, string Message)> Problems(IReadOnlyDictionary<string, string?> tags)
    {
        if (tags.Count > MaxTags)
        {
            yield return ("tags", $"At most {MaxTags} tags.");
        }

        foreach (var (key, value) in tags)
        {
            if (!IsKey(key))
            {
                yield return ("tags", $"Tag key '{Printable(key)}' is invalid: {KeyRule}.");
            }
            else if (ValueProblem(value) is { } problem)
            {
                yield return ($"tags.{key}", $"The value {problem}.");
            }
        }
    }

    /// <summary>The query parameter prefix of a tag filter: <c>?tag.customerId=cus_123</c>.</summary>
    public const string FilterPrefix = "tag.";

    /// <summary>The shape of a key, as a JSON Schema pattern (ECMA-262) for the API document.</summary>
    public const string KeyPattern = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$";

    /// <summary>
    /// Reads the <c>tag.{key}=value</c> filters of a query (each key once; they all must match), and
    /// every parameter that is not of that shape with its problem (none when all are).
    /// </summary>
    public static (IReadOnlyList<KeyValuePair<string, string>> Filters, IReadOnlyDictionary<string, List<string>> Errors) ParseFilters(
        IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> query)
    {
        var filters = new List<KeyValuePair<string, string>>();
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (name, values) in query.Where(q => q.Key.StartsWith(FilterPrefix, StringComparison.OrdinalIgnoreCase)))
        {
            var key = name[FilterPrefix.Length..];
            if (!IsKey(key))
            {
                errors[name] = [$"A tag filter is tag.{{key}}=value, the key {KeyRule}."];
            }
            else if (values.Count != 1 || ValueProblem(values[0]) is not null)
            {
                errors[name] = [$"Give each tag filter once, with a value of 1 to {MaxValueLength} characters."];
            }
            else
            {
                filters.Add(new(key, values[0]!));
            }
        }

        if (filters.Count > MaxFilters)
        {
            errors[FilterPrefix + "*"] = [$"At most {MaxFilters} tag filters."];
        }

        return (filters, errors);
    }

    /// <summary>True when <paramref name="tags"/> holds every filter.</summary>
    public static bool Match(IReadOnlyDictionary<string, string> tags, IEnumerable<KeyValuePair<string, string>> filters) =>
        filters.All(f => tags.TryGetValue(f.Key, out var value) && value == f.Value);

    // An invalid key is echoed without what could break a log line or a terminal.
    private static string Printable(string key) => new([.. key.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex KeyShape();
}
