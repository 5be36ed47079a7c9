using System.Globalization;
using System.Net;

namespace ProcoreConnect.Hosting;

/// <summary>Chooses where the app listens, and its folder, as a custom handler.</summary>
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
    /// What the app's builder starts from. Under the host (the port variable in the environment,
    /// where the host puts it) the content root is the folder the executable runs from: the host's
    /// Linux images set <c>ASPNETCORE_CONTENTROOT=/azure-functions-host</c>, the host's own folder,
    /// whose appsettings.json (every log below Warning dropped) would be read instead of the app's.
    /// The content root can only be chosen here, before the builder exists.
    /// </summary>
    public static WebApplicationOptions BuilderOptions(string[] args) => new()
    {
        Args = args,
        ContentRootPath = string.IsNullOrEmpty(Environment.GetEnvironmentVariable(PortVariable)) ? null : AppContext.BaseDirectory,
    };

    /// <summary>
    /// Under the host: <c>127.0.0.1</c> on the host's port and nowhere else, whatever the inherited
    /// environment says (the host's Linux images set <c>ASPNETCORE_URLS=http://+:80</c>, where the
    /// host itself listens, and their .NET base images <c>ASPNETCORE_HTTP_PORTS=8080</c>). Run on
    /// its own: <c>127.0.0.1:7071</c>, unless <c>--urls</c> or <c>ASPNETCORE_URLS</c> chooses, so
    /// tests and benchmarks can pick their own.
    /// </summary>
    public static void Apply(WebApplicationBuilder builder)
    {
        var hostPort = builder.Configuration[PortVariable];
        if (string.IsNullOrEmpty(hostPort))
        {
            if (string.IsNullOrEmpty(builder.Configuration["urls"]))
            {
                builder.WebHost.UseUrls($"http://127.0.0.1:{LocalPort}");
            }

            return;
        }

        if (!int.TryParse(hostPort, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < IPEndPoint.MinPort + 1 or > IPEndPoint.MaxPort)
        {
            throw new InvalidOperationException($"{PortVariable} is '{hostPort}', not a port number: the Functions host sets it to the port it will call the handler on.");
        }

        // Replaces ASPNETCORE_URLS and --urls. ASPNETCORE_HTTP_PORTS and _HTTPS_PORTS are not read
        // beside a URL anyway; emptied, they do not cost a warning at every start.
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.WebHost.UseSetting(WebHostDefaults.HttpPortsKey, string.Empty);
        builder.WebHost.UseSetting(WebHostDefaults.HttpsPortsKey, string.Empty);
        // Kestrel:Endpoints (appsettings or Kestrel__Endpoints__* variables) would bind instead of the URL.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Configure(new ConfigurationBuilder().Build(), reloadOnChange: false));
    }
}
