using System.Diagnostics;
using System.Net.Sockets;

namespace ProcoreConnect.Tests.Infrastructure;

/// <summary>
/// One Azurite process for the whole test run, from the repository's node_modules, bound to
/// 127.0.0.1 on free ports, in memory, with telemetry off. Test classes isolate themselves with
/// a table prefix of their own.
/// </summary>
public sealed class Azurite
{
    private static readonly Lazy<Azurite> Shared = new(Start);

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

    private static Azurite Start()
    {
        var script = Path.Combine(RepositoryRoot.Path, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed ({script} missing): run scripts/ensure-tools.sh.");
        }

        var (blob, queue, table) = (FreePort.Next(), FreePort.Next(), FreePort.Next());
        var start = new ProcessStartInfo("node")
        {
            ArgumentList =
            {
                script, "--silent", "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck",
                "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(),
                "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(),
                "--tableHost", "127.0.0.1", "--tablePort", table.ToString(),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start Azurite.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        };

        var deadline = DateTime.UtcNow.AddSeconds(30);
        foreach (var port in new[] { blob, queue, table })
        {
            while (!CanConnect(port))
            {
                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException("Azurite did not start listening within 30 s.");
                }

                Thread.Sleep(100);
            }
        }

        return new Azurite(blob, queue, table);
    }

    private static bool CanConnect(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
