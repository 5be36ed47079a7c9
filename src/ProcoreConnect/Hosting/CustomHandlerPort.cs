namespace ProcoreConnect.Hosting;

/// <summary>Chooses the port the app listens on as a custom handler.</summary>
public static class CustomHandlerPort
{
    /// <summary>The variable the Functions host sets when it starts the handler.</summary>
    public const string PortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    /// <summary>The port <c>func start</c> uses, kept for the local run so URLs match.</summary>
    public const int LocalPort = 7071;

    /// <summary>True when the Functions host started this process.</summary>
    public static bool IsHostedByFunctions(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration[PortVariable]);

    /// <summary>
    /// True when this process does the host's non-HTTP work itself (timers, queue, event retries):
    /// run on its own, with the local scheduler enabled.
    /// </summary>
    public static bool RunsLocalWork(IConfiguration configuration, SchedulerOptions scheduler) =>
        scheduler.Enabled && !IsHostedByFunctions(configuration);

    /// <summary>
    /// Listens on the host's port when it gave one, on 7071 otherwise; an explicit <c>--urls</c>
    /// or <c>ASPNETCORE_URLS</c> wins so tests and benchmarks can pick their own.
    /// </summary>
    public static void Apply(WebApplicationBuilder builder)
    {
        if (!string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            return;
        }

        var hostPort = builder.Configuration[PortVariable];
        var port = int.TryParse(hostPort, out var parsed) ? parsed : LocalPort;
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
    }
}
