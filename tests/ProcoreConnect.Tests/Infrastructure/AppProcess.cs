using System.Collections.Concurrent;
using System.Diagnostics;

namespace ProcoreConnect.Tests.Infrastructure;

/// <summary>
/// The app as its own operating-system process (<c>dotnet ProcoreConnect.dll</c>, or the package's
/// executable), started the way the Functions host starts it (the host's environment with
/// <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>, settings in the environment), so tests can run two at once
/// and kill or stop one as the platform would.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private FunctionsHost? _host;

    private AppProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };
    }

    /// <summary>How long a start may take before it counts as failed: generous, for a machine busy with a build.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Where it listens (loopback).</summary>
    public Uri BaseAddress { get; }

    /// <summary>A client without credentials.</summary>
    public HttpClient Http { get; }

    /// <summary>What it wrote to stdout and stderr.</summary>
    public IReadOnlyCollection<string> Output => _output;

    /// <summary>True once it has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Its exit code (after it exited).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Starts the app (<c>dotnet ProcoreConnect.dll</c> from the tests' folder) with the host's
    /// environment and these settings (keys as in configuration, <c>:</c>-separated) and waits until it answers.
    /// </summary>
    public static async Task<AppProcess> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var port = FreePort.Next();
        var host = new FunctionsHost(port);
        var ownSettings = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["Logging:Console:FormatterName"] = "simple",
        };
        foreach (var (key, value) in settings)
        {
            ownSettings[key] = value;
        }

        var app = Launch(
            new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "ProcoreConnect.dll")]),
            AppContext.BaseDirectory, host.HandlerEnvironment(AppContext.BaseDirectory), port, ownSettings);
        // Its stand-in folders (HOME among them) live as long as the process.
        app._host = host;
        return await app.WaitUntilAnswersAsync("/", StartTimeout);
    }

    /// <summary>
    /// Starts the app as <c>scripts/start-local.sh</c> does: on its own (so it runs its timers and
    /// workers), in the Development environment with <c>src/ProcoreConnect</c> as its content root,
    /// but on a free port, which is also its public base URL (the script's default, 7071, is both);
    /// waits for its first healthy answer, as the script does.
    /// </summary>
    public static Task<AppProcess> StartLocalAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var port = FreePort.Next();
        var ownSettings = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Service:PublicBaseUrl"] = $"http://127.0.0.1:{port}",
            ["Logging:Console:FormatterName"] = "simple",
        };
        foreach (var (key, value) in settings)
        {
            ownSettings[key] = value;
        }

        var app = Launch(
            new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "ProcoreConnect.dll")]),
            Path.Combine(RepositoryRoot.Path, "src", "ProcoreConnect"), new Dictionary<string, string>(), port, ownSettings);
        return app.WaitUntilAnswersAsync("/api/health", StartTimeout);
    }

    private async Task<AppProcess> WaitUntilAnswersAsync(string path, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with {_process.ExitCode} while starting:\n{string.Join('\n', Output)}");
            }

            try
            {
                if ((await Http.GetAsync(path)).IsSuccessStatusCode)
                {
                    return this;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        await DisposeAsync();
        throw new TimeoutException($"The app did not answer {path} within {patience.TotalSeconds} s:\n" + string.Join('\n', Output));
    }

    /// <summary>
    /// Starts a handler as the Functions host does (DefaultWorkerProcessFactory): in
    /// <paramref name="workingDirectory"/>, with the parent's environment plus
    /// <paramref name="hostEnvironment"/>, then <paramref name="settings"/> as app settings, its
    /// output captured. Does not wait for it to answer.
    /// </summary>
    public static AppProcess Launch(
        ProcessStartInfo start, string workingDirectory, IReadOnlyDictionary<string, string> hostEnvironment, int port, IReadOnlyDictionary<string, string?> settings)
    {
        start.WorkingDirectory = workingDirectory;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        foreach (var (name, value) in hostEnvironment)
        {
            start.Environment[name] = value;
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start)!;
        var app = new AppProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => app.Collect(e.Data);
        process.ErrorDataReceived += (_, e) => app.Collect(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    /// <summary>A client that authenticates with <paramref name="apiKey"/>.</summary>
    public HttpClient ClientWith(string apiKey)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Add(ProcoreConnect.Security.ApiKeyAuthenticationHandler.Header, apiKey);
        return client;
    }

    /// <summary>Invokes a timer function the way the Functions host does.</summary>
    public Task<HttpResponseMessage> InvokeTimerAsync(string function) =>
        Http.PostAsync("/" + function, Json.Raw("""{"Data":{"timer":{"IsPastDue":false}},"Metadata":{}}"""));

    /// <summary>SIGKILL: gone at once, mid-request, as a crashed or evicted instance.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>SIGTERM: what the platform sends before it stops an instance.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -TERM {_process.Id} failed with {kill.ExitCode}");
        }
    }

    /// <summary>Waits for it to exit; false when it did not within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _host?.Dispose();
    }

    private void Collect(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
