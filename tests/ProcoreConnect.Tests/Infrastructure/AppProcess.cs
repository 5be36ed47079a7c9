using System.Collections.Concurrent;
using System.Diagnostics;

namespace ProcoreConnect.Tests.Infrastructure;

/// <summary>
/// The app as its own operating-system process (<c>dotnet ProcoreConnect.dll</c>), configured the
/// way the Functions host starts it (<c>FUNCTIONS_CUSTOMHANDLER_PORT</c>, settings in the
/// environment), so tests can run two at once and kill or stop one as the platform would.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

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

    /// <summary>Starts the app with these settings (keys as in configuration, <c>:</c>-separated) and waits until it answers.</summary>
    public static async Task<AppProcess> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var port = FreePort.Next();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "ProcoreConnect.dll")])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Logging__Console__FormatterName"] = "simple";
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

        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with {process.ExitCode} while starting:\n{string.Join('\n', app.Output)}");
            }

            try
            {
                if ((await app.Http.GetAsync("/")).IsSuccessStatusCode)
                {
                    return app;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        await app.DisposeAsync();
        throw new TimeoutException($"The app did not answer within {StartTimeout.TotalSeconds:F0} s:\n" + string.Join('\n', app.Output));
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
    }

    private void Collect(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
