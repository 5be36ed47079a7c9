using System.Text.RegularExpressions;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Docs;

/// <summary>README.md stays a front door, and every relative link in it and in docs/ leads somewhere in the repository.</summary>
public sealed partial class DocLinkTests
{
    public static TheoryData<string> Pages()
    {
        var pages = new TheoryData<string> { "README.md" };
        foreach (var page in Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "docs"), "*.md").Order(StringComparer.Ordinal))
        {
            pages.Add(Path.GetRelativePath(RepositoryRoot.Path, page).Replace('\\', '/'));
        }

        return pages;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_relative_link_leads_to_a_file_and_heading_in_the_repository(string page)
    {
        var path = Path.Combine(RepositoryRoot.Path, page);
        var broken = new List<string>();
        foreach (var target in Markdown.LinkTargets(File.ReadAllText(path)))
        {
            if (Uri.TryCreate(target, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https" or "mailto")
            {
                continue;
            }

            var (file, anchor) = target.Split('#', 2) is [var f, var a] ? (f, a) : (target, null);
            var resolved = file.Length == 0 ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, Uri.UnescapeDataString(file)));
            if (!resolved.StartsWith(RepositoryRoot.Path + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                broken.Add($"{target}: outside the repository");
            }
            else if (!File.Exists(resolved) && !Directory.Exists(resolved))
            {
                broken.Add($"{target}: no such file");
            }
            else if (anchor is not null && (!resolved.EndsWith(".md", StringComparison.Ordinal) || !Markdown.Anchors(File.ReadAllText(resolved)).Contains(anchor)))
            {
                broken.Add($"{target}: no heading with that anchor");
            }
        }

        Assert.True(broken.Count == 0, $"{page} has broken links:\n" + string.Join('\n', broken));
    }

    [Fact]
    public void The_README_is_a_front_door()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));
        var lines = readme.TrimEnd('\n').Split('\n').Length;
        Assert.True(lines <= 300, $"README.md has {lines} lines; the manual belongs in docs/.");
        // History lives in git: no dates, load averages or test counts.
        Assert.DoesNotMatch(IsoDate(), readme);
        Assert.DoesNotContain("load average", readme, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(TestCount(), readme);
    }

    [GeneratedRegex(@"\b20\d\d-\d\d-\d\d\b")]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"\b\d[\d,]* tests\b", RegexOptions.IgnoreCase)]
    private static partial Regex TestCount();
}
