using System.Diagnostics;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.ClientLibraries;

/// <summary>Runs a command from the repository root, within a time limit, and answers its exit code and output.</summary>
internal static class Command
{
    /// <summary>
    /// Runs <paramref name="file"/> with <paramref name="arguments"/> and the parent's environment plus
    /// <paramref name="environment"/>; stdout and stderr together, in order of arrival. A command still
    /// running after <paramref name="patience"/> is killed, and its output says so.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string file, IEnumerable<string> arguments, TimeSpan patience, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var output = new System.Text.StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(patience);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, $"{Describe(start)} did not finish within {patience.TotalSeconds} s:\n{Read(output)}");
        }

        // The exit is seen before the last lines are read; WaitForExit() without a limit waits for them.
        process.WaitForExit();
        return (process.ExitCode, Read(output));
    }

    /// <summary>The command line, for messages.</summary>
    public static string Describe(ProcessStartInfo start) => $"{start.FileName} {string.Join(' ', start.ArgumentList)}";

    private static void Append(System.Text.StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Read(System.Text.StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
