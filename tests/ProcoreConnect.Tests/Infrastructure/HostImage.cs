namespace ProcoreConnect.Tests.Infrastructure;

/// <summary>
/// What a handler inherits from the Functions host's Linux image, the platform and the host itself,
/// read from their sources (docs/operations.md, "What the host passes on"), with stand-ins where a
/// test cannot use the real value: free loopback ports for the image's ports 80 and 8080 (so a test
/// can show nothing listens there), a temporary folder holding the host's own appsettings.json for
/// <c>/azure-functions-host</c>, and one for <c>HOME</c>.
/// </summary>
public sealed record HostImage(string HostFolder, string Home, int UrlsPort, int HttpPortsPort)
{
    /// <summary>
    /// The host's own appsettings.json (Azure/azure-functions-host,
    /// src/WebJobs.Script.WebHost/appsettings.json), in the folder the images name as every
    /// process's content root: a handler that takes it reads this instead of its own.
    /// </summary>
    public const string HostAppSettings = """{ "Logging": { "IncludeScopes": false, "LogLevel": { "Default": "Warning" } } }""";

    // The prefixes WebApplicationBuilder's host configuration reads variables under, without the prefix.
    private static readonly string[] StrippedPrefixes = ["ASPNETCORE_", "DOTNET_"];

    /// <summary>Stand-ins for one run.</summary>
    public static HostImage Create()
    {
        var hostFolder = Directory.CreateTempSubdirectory("azure-functions-host-");
        File.WriteAllText(Path.Combine(hostFolder.FullName, "appsettings.json"), HostAppSettings);
        return new HostImage(hostFolder.FullName, Directory.CreateTempSubdirectory("home-").FullName, FreePort.Next(), FreePort.Next());
    }

    /// <summary>
    /// The handler's environment on top of its parent's: the image's ENV, the platform's variables
    /// the host reads, and the five the host adds (HttpWorkerProcess.CreateWorkerProcess; the
    /// process factory only adds, DefaultWorkerProcessFactory). <paramref name="scriptRoot"/> is
    /// the package's folder (<c>/home/site/wwwroot</c>).
    /// </summary>
    public IReadOnlyDictionary<string, string> HandlerEnvironment(int port, string scriptRoot, string workerId) => new Dictionary<string, string>
    {
        // mcr.microsoft.com/dotnet/runtime-deps:8.0-bookworm-slim (dotnet/dotnet-docker,
        // src/runtime-deps/8.0/bookworm-slim/amd64/Dockerfile), the base of the host's image.
        ["APP_UID"] = "1654",
        ["ASPNETCORE_HTTP_PORTS"] = Port(HttpPortsPort),
        ["DOTNET_RUNNING_IN_CONTAINER"] = "true",
        // The host's image (Azure/azure-functions-docker, host/4/bookworm/dotnet/dotnet8.Dockerfile),
        // which Core Tools' Dockerfile for custom handlers starts from.
        ["AzureWebJobsScriptRoot"] = scriptRoot,
        ["HOME"] = Home,
        ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet",
        ["DOTNET_USE_POLLING_FILE_WATCHER"] = "true",
        ["HOST_VERSION"] = FunctionsHost.Version,
        ["ASPNETCORE_CONTENTROOT"] = HostFolder,
        ["ASPNETCORE_URLS"] = $"http://+:{Port(UrlsPort)}",
        // The platform's, as the host reads them (src/WebJobs.Script/Environment/EnvironmentSettingNames.cs).
        ["WEBSITE_SITE_NAME"] = "func-procore-test",
        ["WEBSITE_HOSTNAME"] = IncomingRequest.PublicHost,
        ["WEBSITE_SKU"] = "FlexConsumption",
        ["WEBSITE_INSTANCE_ID"] = "0123456789abcdef",
        // The host's (src/WebJobs.Script/Workers/Http/HttpWorkerProcess.cs, HttpWorkerConstants.cs).
        ["FUNCTIONS_HTTPWORKER_PORT"] = Port(port),
        ["FUNCTIONS_HTTPWORKER_ID"] = workerId,
        ["FUNCTIONS_CUSTOMHANDLER_PORT"] = Port(port),
        ["FUNCTIONS_CUSTOMHANDLER_WORKER_ID"] = workerId,
        ["FUNCTIONS_APP_ROOT_PATH"] = scriptRoot,
    };

    /// <summary>
    /// The same environment as configuration of an in-process app, keyed as .NET's environment
    /// providers key it: every variable by its name, and the <c>ASPNETCORE_</c> and <c>DOTNET_</c>
    /// ones also without the prefix (<c>urls</c>, <c>http_ports</c>, …). The content root is left
    /// out: an in-process app's is WebApplicationFactory's, and the process tests cover it.
    /// </summary>
    public static IDictionary<string, string?> AsConfiguration(IReadOnlyDictionary<string, string> environment)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in environment.Where(v => v.Key != "ASPNETCORE_CONTENTROOT"))
        {
            settings[name.Replace("__", ":", StringComparison.Ordinal)] = value;
            foreach (var prefix in StrippedPrefixes.Where(p => name.StartsWith(p, StringComparison.Ordinal)))
            {
                settings[name[prefix.Length..]] = value;
            }
        }

        return settings;
    }

    /// <summary>Removes the stand-in folders.</summary>
    public void Delete()
    {
        foreach (var folder in new[] { HostFolder, Home }.Where(Directory.Exists))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
