using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ProcoreConnect.Tests.Infrastructure;

/// <summary>Shared fixtures on a loaded machine: a failed start says why and is tried again.</summary>
public sealed class FixtureStartTests
{
    [Fact]
    public void A_failed_start_is_tried_again_by_the_next_caller_and_a_success_is_kept()
    {
        var starts = 0;
        var fixture = new StartedOnce<object>(() => ++starts == 1 ? throw new TimeoutException("slow start") : new object());

        Assert.Throws<TimeoutException>(() => fixture.Value);
        var started = fixture.Value;

        Assert.Same(started, fixture.Value);
        Assert.Equal(2, starts);
    }

    [Fact]
    public void After_the_last_allowed_failure_the_fixture_answers_that_failure_without_starting_again()
    {
        var starts = 0;
        var fixture = new StartedOnce<object>(() => throw new TimeoutException($"start {++starts}"));
        for (var i = 0; i < StartedOnce<object>.MaxStarts; i++)
        {
            Assert.Throws<TimeoutException>(() => fixture.Value);
        }

        var gaveUp = Assert.Throws<InvalidOperationException>(() => fixture.Value);

        Assert.Equal(StartedOnce<object>.MaxStarts, starts);
        Assert.Equal($"start {StartedOnce<object>.MaxStarts}", gaveUp.InnerException!.Message);
    }

    [Fact]
    public void An_azurite_that_cannot_start_reports_its_own_output_and_exit_code()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var failure = Assert.Throws<InvalidOperationException>(() => Azurite.Start(port, FreePort.Next(), FreePort.Next(), Azurite.StartTimeout));

        Assert.Contains("exited with code 1", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"EADDRINUSE: address already in use 127.0.0.1:{port}", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_azurite_whose_test_process_is_gone_ends_by_itself()
    {
        // A parent of its own, killed as a test host can be: a shell that starts Azurite in the
        // background, says its pid and passes on its output.
        var node = "node " + string.Join(' ', Azurite.Arguments(FreePort.Next(), FreePort.Next(), FreePort.Next()).Select(a => $"'{a}'"));
        using var shell = Process.Start(new ProcessStartInfo("bash", ["-c", node + " & echo \"pid $!\"; wait"]) { RedirectStandardOutput = true })!;
        int? pid = null;
        try
        {
            var listening = false;
            while (pid is null || !listening)
            {
                var line = await Wait.ForAsync(shell.StandardOutput.ReadLineAsync(), "Azurite's pid and its table service listening")
                    ?? throw new InvalidOperationException("The shell ended before Azurite was listening.");
                pid = line.StartsWith("pid ", StringComparison.Ordinal) ? int.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture) : pid;
                listening |= line.Contains("Azurite Table service is successfully listening", StringComparison.Ordinal);
            }

            shell.Kill();
            await shell.WaitForExitAsync();

            await Wait.UntilAsync(() => !Directory.Exists($"/proc/{pid}"), "Azurite to end once the process that started it was killed", TimeSpan.FromSeconds(60));
        }
        finally
        {
            if (pid is { } left && Directory.Exists($"/proc/{left}"))
            {
                Process.GetProcessById(left).Kill();
            }
        }
    }
}
