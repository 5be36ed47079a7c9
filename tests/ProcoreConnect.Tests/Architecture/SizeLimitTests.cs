using System.Reflection;
using System.Runtime.CompilerServices;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Architecture;

/// <summary>
/// Small files and classes with one job: no source file in <c>src/</c> over 400 lines, and no
/// constructor (primary constructors and positional records included) with more than 8 parameters.
/// </summary>
public sealed class SizeLimitTests
{
    private const int MaxLines = 400;
    private const int MaxParameters = 8;

    private static readonly Assembly[] Assemblies = [typeof(Program).Assembly, typeof(ProcoreSimulator.State.SimulatorState).Assembly];

    [Fact]
    public void No_source_file_is_over_400_lines()
    {
        var offenders = LongFiles(MaxLines);

        Assert.True(offenders.Count == 0,
            $"{offenders.Count} source files over {MaxLines} lines (split each by job: a type per file, a class per job):\n"
            + string.Join("\n", offenders.Select(f => $"    {f.Path}: {f.Lines} lines")));
    }

    [Fact]
    public void No_constructor_takes_more_than_8_parameters()
    {
        var offenders = WideConstructors(MaxParameters);

        Assert.True(offenders.Count == 0,
            $"{offenders.Count} constructors with more than {MaxParameters} parameters (more dependencies mean more than one job: split the class; "
            + "for data, use required init properties):\n"
            + string.Join("\n", offenders.Select(c => $"    {c.Type}: {c.Parameters} parameters")));
    }

    [Fact]
    public void The_limits_see_the_files_and_constructors_there_are()
    {
        // If the scans found nothing, the tests above would pass for the wrong reason.
        Assert.Contains(LongFiles(0), f => f.Path == "src/ProcoreConnect/Program.cs");
        Assert.Contains(LongFiles(0), f => f.Path == "src/ProcoreSimulator/Program.cs");
        Assert.Contains(WideConstructors(1), c => c.Type == typeof(ProcoreConnect.WorkspaceConnections.WorkspaceConnectionService).FullName);
        Assert.Contains(WideConstructors(1), c => c.Type == typeof(ProcoreConnect.Tokens.TokenOutcome).FullName);
    }

    private static List<(string Path, int Lines)> LongFiles(int limit)
    {
        var src = Path.Combine(RepositoryRoot.Path, "src");
        return [.. Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepositoryRoot.Path, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(part => part is "bin" or "obj"))
            .Select(f => (Path: f, Lines: File.ReadAllLines(Path.Combine(RepositoryRoot.Path, f)).Length))
            .Where(f => f.Lines > limit)
            .OrderByDescending(f => f.Lines)];
    }

    private static List<(string Type, int Parameters)> WideConstructors(int limit) =>
        [.. Assemblies.SelectMany(a => a.GetTypes())
            .Where(t => !IsGenerated(t) && t.Namespace?.Split('.')[0] == t.Assembly.GetName().Name)
            .SelectMany(t => t.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Select(c => (Type: t.FullName!, Parameters: c.GetParameters().Length)))
            .Where(c => c.Parameters > limit)
            .Distinct()
            .OrderByDescending(c => c.Parameters).ThenBy(c => c.Type, StringComparer.Ordinal)];

    // Closures, async state machines and source-generated code are the compiler's, not ours.
    private static bool IsGenerated(Type type)
    {
        for (var t = type; t is not null; t = t.DeclaringType)
        {
            if (t.IsDefined(typeof(CompilerGeneratedAttribute), false) || t.IsDefined(typeof(System.CodeDom.Compiler.GeneratedCodeAttribute), false))
            {
                return true;
            }
        }

        return false;
    }
}
