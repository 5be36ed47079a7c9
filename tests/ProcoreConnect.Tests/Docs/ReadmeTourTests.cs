using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Docs;

/// <summary>
/// README's tour, run as written: its bash blocks, in order, in one bash (with <c>set -euo pipefail</c>),
/// against the service started as <c>scripts/start-local.sh</c> starts it. Only the two base URLs
/// change: the app's <c>http://127.0.0.1:7071</c> and the simulator's <c>http://127.0.0.1:7072</c>
/// become the free ports this test uses (Azurite too runs on free ports, and the app's tables and
/// queue get names of their own, so the storage is as empty as a fresh start-local's).
/// </summary>
[Slow(SlowKind.Process)]
public sealed partial class ReadmeTourTests : IAsyncLifetime
{
    private const string Tour = "A five-minute tour";
    private const string LocalAppUrl = "http://127.0.0.1:7071";
    private const string LocalSimulatorUrl = "http://127.0.0.1:7072";
    private const string StepMarker = "### tour step ";
    private const string DoneMarker = "### tour done";

    private readonly LocalRun _local = new();

    public Task InitializeAsync() => _local.InitializeAsync();

    public Task DisposeAsync() => _local.DisposeAsync();

    [Fact]
    public async Task The_tour_runs_in_order_on_a_fresh_local_run()
    {
        var steps = TourSteps();
        var script = string.Join('\n', steps.Select((code, i) => $"printf '\\n{StepMarker}{i + 1}\\n'\n{code}"));
        var (exitCode, output) = await RunBashAsync("set -euo pipefail\nexec 2>&1\n" + script + $"\nprintf '\\n{DoneMarker}\\n'\n");
        var outputs = OutputsOf(output, steps.Count);

        if (exitCode != 0 || !output.Contains(DoneMarker, StringComparison.Ordinal))
        {
            var failed = Math.Max(outputs.Count, 1);
            Assert.Fail(
                $"The tour's step {failed} of {steps.Count} failed (bash exit code {exitCode}):\n{steps[failed - 1]}\n" +
                $"--- its output:\n{(outputs.Count > 0 ? outputs[^1] : output)}\n--- the app's last lines:\n{string.Join('\n', _local.App.Output.TakeLast(40))}");
        }

        // The outputs the tour shows: a person's sign-in connected the workspace ...
        Assert.True(
            outputs.Any(o => o.Contains("<h1>Connected to Procore</h1>", StringComparison.Ordinal)),
            "No step's output says 'Connected to Procore':\n" + string.Join("\n---\n", outputs));
        Assert.Equal(1, (await _local.Simulator.StatsAsync()).AuthorizationCodeGrants);

        // ... its token came back, and Procore's /me answered to it ...
        var tokenStep = steps.FindIndex(code => code.Contains("/api/workspaces/acme-hq/token", StringComparison.Ordinal));
        Assert.True(tokenStep >= 0, "The tour has no step that asks for acme-hq's token.");
        var token = JsonDocument.Parse(outputs[tokenStep].Split('\n').First(l => l.StartsWith('{'))).RootElement;
        Assert.False(string.IsNullOrEmpty(token.GetProperty("accessToken").GetString()));
        Assert.Equal(1001, token.GetProperty("companyId").GetInt64());
        Assert.Contains("\"login\"", outputs[tokenStep], StringComparison.Ordinal);

        // ... and the last step lists the "connected" event.
        var events = JsonDocument.Parse(outputs[^1]).RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.True(
            events.Any(e => e.GetProperty("type").GetString() == "connected" && e.GetProperty("workspaceId").GetString() == "acme-hq"),
            "The tour's last step lists no 'connected' event of acme-hq:\n" + outputs[^1]);

        // The stand-in partner endpoint the tour registered receives it, signed.
        var received = await WaitForReceivedEventAsync();
        Assert.StartsWith("v1=", received.GetProperty("signature").GetString(), StringComparison.Ordinal);
    }

    /// <summary>The tour's bash blocks, with the base URLs moved to this test's ports.</summary>
    private List<string> TourSteps()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));
        var blocks = Markdown.FencedBlocks(Markdown.Section(readme, Tour)).Where(b => b.Language == "bash").Select(b => b.Code).ToList();
        Assert.True(blocks.Count > 0, $"README's '{Tour}' has no bash block.");
        Assert.Contains(blocks, b => b.Contains(LocalAppUrl, StringComparison.Ordinal));
        // Any other local address would reach whatever runs there, not this test's service.
        Assert.DoesNotContain(blocks, b => OtherLocalAddress().IsMatch(b));

        var appUrl = _local.App.BaseAddress.GetLeftPart(UriPartial.Authority);
        var simulatorUrl = _local.Simulator.BaseUrl.GetLeftPart(UriPartial.Authority);
        return blocks.Select(b => b.Replace(LocalAppUrl, appUrl, StringComparison.Ordinal).Replace(LocalSimulatorUrl, simulatorUrl, StringComparison.Ordinal)).ToList();
    }

    /// <summary>Each step's output, by the markers the script prints before each step (fewer when one failed).</summary>
    private static List<string> OutputsOf(string output, int steps)
    {
        var outputs = new List<string>();
        for (var step = 1; step <= steps; step++)
        {
            var start = output.IndexOf($"{StepMarker}{step}\n", StringComparison.Ordinal);
            if (start < 0)
            {
                break;
            }

            start = output.IndexOf('\n', start) + 1;
            var end = output.IndexOf(step == steps ? DoneMarker : $"{StepMarker}{step + 1}\n", start, StringComparison.Ordinal);
            outputs.Add((end < 0 ? output[start..] : output[start..end]).Trim());
        }

        return outputs;
    }

    private static async Task<(int ExitCode, string Output)> RunBashAsync(string script)
    {
        var directory = Directory.CreateTempSubdirectory("readme-tour-");
        try
        {
            var path = Path.Combine(directory.FullName, "tour.sh");
            await File.WriteAllTextAsync(path, script);
            var start = new ProcessStartInfo("bash", [path])
            {
                WorkingDirectory = directory.FullName,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            using var bash = Process.Start(start)!;
            var output = bash.StandardOutput.ReadToEndAsync();
            using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            try
            {
                await bash.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                bash.Kill(entireProcessTree: true);
                await bash.WaitForExitAsync();
                return (-1, await output + "\n(the tour did not finish within 3 minutes)");
            }

            return (bash.ExitCode, await output);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private async Task<JsonElement> WaitForReceivedEventAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var received = await _local.Simulator.Http.GetFromJsonAsync<JsonElement>("/_simulator/partner-events");
            foreach (var e in received.EnumerateArray())
            {
                if (e.GetProperty("body").GetProperty("type").GetString() == "connected")
                {
                    return e;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, "The simulator's partner endpoint received no 'connected' event within 60 s:\n" + received);
            await Task.Delay(200);
        }
    }

    [GeneratedRegex(@"localhost|127\.0\.0\.1:(?!707[12]\b)\d+")]
    private static partial Regex OtherLocalAddress();
}
