using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreSimulator;

namespace ProcoreConnect.Tests.Docs;

/// <summary>
/// <c>scripts/start-local.sh</c> itself, on ports its variables move: the banner names the ports
/// and the simulator's real demo apps, the app starts only once Azurite and the simulator listen
/// (and so starts without an error), the console carries no telemetry unless
/// <c>TELEMETRY_CONSOLE=1</c> asks for it, and a return URL on the simulator's stand-in page is
/// accepted and lands on a page. It runs what the tests' build built (<c>START_LOCAL_SKIP_BUILD</c>).
/// </summary>
[Slow(SlowKind.Process)]
public sealed class StartLocalTests
{
    private const string Banner = "Press Ctrl-C to stop.";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task It_starts_on_the_ports_it_is_given_after_its_dependencies_and_keeps_the_console_quiet_unless_asked(bool telemetry)
    {
        await using var run = await LocalRun.StartAsync(telemetry);

        // The banner: the ports asked for, and the demo apps the simulator seeds.
        var banner = run.Text;
        Assert.Contains($"http://127.0.0.1:{run.AppPort}/api", banner, StringComparison.Ordinal);
        Assert.Contains($"http://127.0.0.1:{run.SimulatorPort}", banner, StringComparison.Ordinal);
        Assert.Contains($"tables 127.0.0.1:{run.TablePort}, queues :{run.QueuePort}, blobs :{run.BlobPort}", banner, StringComparison.Ordinal);
        Assert.Contains(ProcoreSimulatorApp.DemoApp.ClientId + " (code flow)", banner, StringComparison.Ordinal);
        Assert.Contains(ProcoreSimulatorApp.DemoDmsaApp.ClientId + " (DMSA)", banner, StringComparison.Ordinal);

        // The app was started only after both dependencies listened, and so met no refused connection.
        var lines = run.Lines;
        var azurite = lines.FindIndex(l => l.StartsWith("start-local: Azurite listens", StringComparison.Ordinal));
        var simulator = lines.FindIndex(l => l.StartsWith("start-local: the Procore simulator listens", StringComparison.Ordinal));
        var app = lines.FindIndex(l => l.StartsWith("start-local: starting Procore Connect", StringComparison.Ordinal));
        Assert.True(azurite >= 0 && simulator >= 0 && app > azurite && app > simulator, "Out of order:\n" + banner);
        Assert.DoesNotContain(lines, l => l.Contains("Exception", StringComparison.Ordinal) || l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{run.AppPort}"), Timeout = TimeSpan.FromMinutes(1) };
        var health = await http.GetFromJsonAsync<JsonElement>("/api/health");
        Assert.Equal("healthy", health.GetProperty("checks").GetProperty("storage").GetProperty("status").GetString());

        // A request the exporter would trace, then a refusal whose warning marks that it has run.
        await http.GetAsync(new Uri("/api/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri("/api/workspaces", UriKind.Relative))).StatusCode);
        await run.WaitForLineAsync("Refused GET /api/workspaces for anonymous: 401");
        var traced = run.Lines.Any(l => l.StartsWith("Activity.TraceId:", StringComparison.Ordinal));
        Assert.True(traced == telemetry, telemetry ? "TELEMETRY_CONSOLE=1 printed no trace:\n" + run.Text : "The console carries telemetry:\n" + run.Text);

        if (!telemetry)
        {
            await ReturnUrlOnTheSimulatorWorksAsync(run);
        }
    }

    // The getting-started flow: the partner allows the simulator's origin, and a connect with a
    // returnUrl on its stand-in page is accepted; the page answers.
    private static async Task ReturnUrlOnTheSimulatorWorksAsync(LocalRun run)
    {
        var app = $"http://127.0.0.1:{run.AppPort}";
        var origin = $"http://127.0.0.1:{run.SimulatorPort}";
        using var admin = Client(app, "dev-admin-key");
        var key = (await (await admin.PostAsJsonAsync("/api/partners/start-local/keys", new { name = "test" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        using var partner = Client(app, key);
        Assert.Equal(HttpStatusCode.OK, (await partner.PutAsJsonAsync("/api/partner/settings", new { allowedReturnOrigins = new[] { origin } })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await partner.PutAsJsonAsync("/api/oauth-clients/demo", new
        {
            authFlow = "authorization_code", clientId = ProcoreSimulatorApp.DemoApp.ClientId, clientSecret = ProcoreSimulatorApp.DemoApp.ClientSecret,
        })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await partner.PutAsJsonAsync("/api/workspaces/local/connection", new { companyId = 1001, environment = "sandbox", oauthClient = "demo" })).StatusCode);

        var returnUrl = origin + ProcoreSimulator.PartnerEvents.PartnerReturnEndpoints.Path;
        var connect = await partner.GetAsync(new Uri("/api/workspaces/local/connect?returnUrl=" + Uri.EscapeDataString(returnUrl), UriKind.Relative));
        Assert.True(connect.StatusCode == HttpStatusCode.Redirect, $"{connect.StatusCode}: {await connect.Content.ReadAsStringAsync()}");
        using var browser = new HttpClient();
        var page = await browser.GetStringAsync(new Uri(returnUrl + "?workspaceId=local&status=connected"));
        Assert.Contains("<dd>connected</dd>", page, StringComparison.Ordinal);
    }

    private static HttpClient Client(string baseUrl, string key)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(1) };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    /// <summary>One run of the script, stopped as Ctrl-C stops it.</summary>
    private sealed class LocalRun : IAsyncDisposable
    {
        private readonly Process _bash;
        private readonly ConcurrentQueue<string> _output = new();
        private readonly DirectoryInfo _data;

        private LocalRun(Process bash, DirectoryInfo data, int[] ports)
        {
            _bash = bash;
            _data = data;
            (AppPort, SimulatorPort, BlobPort, QueuePort, TablePort) = (ports[0], ports[1], ports[2], ports[3], ports[4]);
        }

        public int AppPort { get; }

        public int SimulatorPort { get; }

        public int BlobPort { get; }

        public int QueuePort { get; }

        public int TablePort { get; }

        public List<string> Lines => [.. _output];

        public string Text => string.Join('\n', _output);

        public static async Task<LocalRun> StartAsync(bool telemetry)
        {
            var ports = Enumerable.Range(0, 5).Select(_ => FreePort.Next()).ToArray();
            var data = Directory.CreateTempSubdirectory("start-local-");
            var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot.Path, "scripts", "start-local.sh")])
            {
                WorkingDirectory = RepositoryRoot.Path,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            var variables = new Dictionary<string, string>
            {
                ["APP_PORT"] = ports[0].ToString(CultureInfo.InvariantCulture),
                ["SIMULATOR_PORT"] = ports[1].ToString(CultureInfo.InvariantCulture),
                ["AZURITE_BLOB_PORT"] = ports[2].ToString(CultureInfo.InvariantCulture),
                ["AZURITE_QUEUE_PORT"] = ports[3].ToString(CultureInfo.InvariantCulture),
                ["AZURITE_TABLE_PORT"] = ports[4].ToString(CultureInfo.InvariantCulture),
                ["AZURITE_LOCATION"] = data.FullName,
                ["TELEMETRY_CONSOLE"] = telemetry ? "1" : "0",
                ["START_LOCAL_SKIP_BUILD"] = "1",
                ["START_LOCAL_CONFIGURATION"] = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)))!,
            };
            foreach (var (name, value) in variables)
            {
                start.Environment[name] = value;
            }

            var run = new LocalRun(Process.Start(start)!, data, ports);
            run._bash.OutputDataReceived += (_, e) => run.Collect(e.Data);
            run._bash.ErrorDataReceived += (_, e) => run.Collect(e.Data);
            run._bash.BeginOutputReadLine();
            run._bash.BeginErrorReadLine();
            try
            {
                await run.WaitForLineAsync(Banner);
            }
            catch
            {
                await run.DisposeAsync();
                throw;
            }

            return run;
        }

        public async Task WaitForLineAsync(string text)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
            while (!_output.Any(l => l.Contains(text, StringComparison.Ordinal)))
            {
                if (_bash.HasExited)
                {
                    Assert.Fail($"start-local.sh exited ({_bash.ExitCode}) before printing '{text}':\n{Text}");
                }

                if (DateTime.UtcNow > deadline)
                {
                    Assert.Fail($"start-local.sh printed no '{text}' within 3 minutes:\n{Text}");
                }

                await Task.Delay(100);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_bash.HasExited)
            {
                // What Ctrl-C does: the script's trap stops its three processes.
                using (var kill = Process.Start("kill", ["-TERM", _bash.Id.ToString(CultureInfo.InvariantCulture)]))
                {
                    await kill.WaitForExitAsync();
                }

                using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try
                {
                    await _bash.WaitForExitAsync(patience.Token);
                }
                catch (OperationCanceledException)
                {
                    _bash.Kill(entireProcessTree: true);
                    await _bash.WaitForExitAsync();
                }
            }

            _bash.Dispose();
            _data.Delete(recursive: true);
        }

        private void Collect(string? line)
        {
            if (line is not null)
            {
                _output.Enqueue(line);
            }
        }
    }
}
