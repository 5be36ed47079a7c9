using System.Collections.Concurrent;
using System.Diagnostics;

namespace ProcoreConnect.Tests.Infrastructure;

/// <summary>
/// One Azurite process for the whole test run, from the repository's node_modules, bound to
/// 127.0.0.1 on free ports, in memory, with telemetry off. Test classes isolate themselves with
/// a table prefix of their own.
/// </summary>
public sealed class Azurite
{
    /// <summary>How long a start may take: a build running beside the tests can slow node's start-up by tens of seconds.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private static readonly StartedOnce<Azurite> Shared = new(() => Start(FreePort.Next(), FreePort.Next(), FreePort.Next(), StartTimeout));

    private static readonly string[] Services = ["Blob", "Queue", "Table"];

    private Azurite(int blobPort, int queuePort, int tablePort)
    {
        ConnectionString =
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
            "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
            $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;" +
            $"QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";
        TablePort = tablePort;
    }

    public static Azurite Instance => Shared.Value;

    public string ConnectionString { get; }

    public int TablePort { get; }

    /// <summary>A table prefix no other test uses (letters and digits, as table names demand).</summary>
    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>
    /// Node's arguments for an Azurite on these ports, in memory and silent, that ends by itself once
    /// the process that started it is gone (Infrastructure/exit-with-parent.js).
    /// </summary>
    public static IReadOnlyList<string> Arguments(int blob, int queue, int table)
    {
        var script = Path.Combine(RepositoryRoot.Path, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed ({script} missing): run scripts/ensure-tools.sh.");
        }

        return
        [
            "--require", Path.Combine(AppContext.BaseDirectory, "Infrastructure", "exit-with-parent.js"),
            script, "--silent", "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck",
            "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(),
            "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(),
            "--tableHost", "127.0.0.1", "--tablePort", table.ToString(),
        ];
    }

    /// <summary>
    /// Starts an Azurite on these ports and waits until each of its three services says it is
    /// listening. When it exits or the wait runs out first, the exception carries Azurite's own
    /// output and its exit code, and no process is left behind.
    /// </summary>
    public static Azurite Start(int blob, int queue, int table, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("node", Arguments(blob, queue, table))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var output = new ConcurrentQueue<string>();
        var listening = new ConcurrentDictionary<string, bool>();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start Azurite (node).");
        // Azurite prints "Azurite <Service> service is successfully listening at …" once a server is
        // bound, --silent or not: the three lines are the signal that it is ready.
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line)
            {
                return;
            }

            output.Enqueue(line);
            foreach (var service in Services.Where(s => line.Contains($"Azurite {s} service is successfully listening", StringComparison.Ordinal)))
            {
                listening[service] = true;
            }

            if (listening.Count == Services.Length)
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                output.Enqueue("stderr: " + line);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var exited = process.WaitForExitAsync();
        Task.WhenAny(ready.Task, exited).Wait(timeout);
        if (ready.Task.IsCompleted)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            };
            return new Azurite(blob, queue, table);
        }

        string why;
        if (process.HasExited)
        {
            why = $"exited with code {process.ExitCode} after {started.Elapsed.TotalSeconds:F1} s";
        }
        else
        {
            process.Kill(entireProcessTree: true);
            why = $"did not report all three services listening within {timeout.TotalSeconds:F0} s (killed; listening: {string.Join(", ", listening.Keys.Order())})";
        }

        // Without a timeout, WaitForExit also waits for the redirected output to be read to its end.
        process.WaitForExit();
        process.Dispose();
        throw new InvalidOperationException(
            $"Azurite (ports blob {blob}, queue {queue}, table {table}) {why}. Its output:\n{string.Join('\n', output)}");
    }
}
