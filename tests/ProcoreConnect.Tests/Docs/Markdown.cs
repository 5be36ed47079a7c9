using System.Text.RegularExpressions;

namespace ProcoreConnect.Tests.Docs;

/// <summary>Reads the repository's markdown the way GitHub renders it: sections, fenced blocks, links and heading anchors.</summary>
public static partial class Markdown
{
    /// <summary>The fenced blocks of <paramref name="text"/>, each with its info string (<c>bash</c>, <c>json</c>, …).</summary>
    public static IReadOnlyList<(string Language, string Code)> FencedBlocks(string text)
    {
        var blocks = new List<(string, string)>();
        string? language = null;
        var code = new List<string>();
        foreach (var line in Lines(text))
        {
            if (language is null && line.StartsWith("```", StringComparison.Ordinal))
            {
                language = line[3..].Trim();
                code.Clear();
            }
            else if (language is not null && line.TrimEnd() == "```")
            {
                blocks.Add((language, string.Join('\n', code)));
                language = null;
            }
            else if (language is not null)
            {
                code.Add(line);
            }
        }

        return blocks;
    }

    /// <summary>The text under the level-2 heading <paramref name="heading"/>, up to the next level-2 heading.</summary>
    public static string Section(string text, string heading)
    {
        var lines = Lines(text).ToList();
        var start = lines.FindIndex(l => l.TrimEnd() == "## " + heading);
        Assert.True(start >= 0, $"No '## {heading}' heading.");
        var end = lines.FindIndex(start + 1, l => l.StartsWith("## ", StringComparison.Ordinal));
        return string.Join('\n', lines.Skip(start + 1).Take((end < 0 ? lines.Count : end) - start - 1));
    }

    /// <summary>The text without its fenced blocks and inline code, where a link is only an example.</summary>
    public static string Prose(string text) =>
        string.Join('\n', OutsideFences(text).Select(line => InlineCode().Replace(line, "")));

    /// <summary>The targets of the inline links in <paramref name="text"/>'s prose.</summary>
    public static IEnumerable<string> LinkTargets(string text) =>
        Link().Matches(Prose(text)).Select(m => m.Groups["target"].Value);

    /// <summary>The anchors GitHub gives the headings of <paramref name="text"/>.</summary>
    public static IReadOnlySet<string> Anchors(string text)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in OutsideFences(text))
        {
            if (Heading().Match(line) is not { Success: true } heading)
            {
                continue;
            }

            var slug = NotInSlug().Replace(heading.Groups["title"].Value.Trim().ToLowerInvariant(), "").Replace(' ', '-');
            var count = seen.GetValueOrDefault(slug);
            seen[slug] = count + 1;
            anchors.Add(count == 0 ? slug : $"{slug}-{count}");
        }

        return anchors;
    }

    private static IEnumerable<string> OutsideFences(string text)
    {
        var fenced = false;
        foreach (var line in Lines(text))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
            }
            else if (!fenced)
            {
                yield return line;
            }
        }
    }

    private static string[] Lines(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"\[[^\]]*\]\((?<target>[^)\s]+)(\s+""[^""]*"")?\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^#{1,6}\s+(?<title>.+)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"[^\p{L}\p{N}\s_-]")]
    private static partial Regex NotInSlug();
}
