using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using ProcoreConnect.Tests.Deployment;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Hosting;

/// <summary>
/// The handler started as the Functions host on Linux starts it: the package's executable (and the
/// Debug build's, from its bin folder) in its own folder, with the environment the host's image and
/// the host give it. The image says <c>ASPNETCORE_URLS=http://+:80</c> (here a free port stands in
/// for 80), <c>ASPNETCORE_HTTP_PORTS=8080</c> (likewise) and
/// <c>ASPNETCORE_CONTENTROOT=/azure-functions-host</c> (here a folder holding the host's own
/// appsettings.json); the host waits 30 s for <c>GET /</c> on its port and gives up.
/// </summary>
[Collection(nameof(Builds))]
[Slow(SlowKind.Process)]
public sealed class HostEnvironmentTests(Builds builds)
{
    [Fact]
    public async Task The_package_answers_only_on_the_hosts_port_from_its_own_folder_with_its_own_settings()
    {
        var package = await builds.PackageAsync();
        await AssertRunsAsTheHostWantsAsync(Path.Combine(package.Folder, "ProcoreConnect"), package.Folder);
    }

    [Fact]
    public async Task The_Debug_build_answers_only_on_the_hosts_port_from_its_bin_folder_with_its_own_settings()
    {
        var folder = await builds.DebugFolderAsync();
        await AssertRunsAsTheHostWantsAsync(Path.Combine(folder, "ProcoreConnect"), folder);
    }

    private static async Task AssertRunsAsTheHostWantsAsync(string executable, string folder)
    {
        var port = FreePort.Next();
        using var host = new FunctionsHost(port);
        var environment = new Dictionary<string, string>(host.HandlerEnvironment(folder))
        {
            // What func start sets for the host; it is not the app's environment (no ASPNETCORE_ENVIRONMENT here).
            ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development",
        };
        var settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = Azurite.Instance.ConnectionString,
            ["Storage:TablePrefix"] = Azurite.NewPrefix(),
            ["SecretStore:LocalKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Service:PublicBaseUrl"] = $"https://{IncomingRequest.PublicHost}",
        };
        foreach (var name in new[] { "Production", "Sandbox", "Monthly", "Federal" })
        {
            settings[$"Procore:{name}:LoginBaseUrl"] = AppFactory.ClosedPort;
            settings[$"Procore:{name}:ApiBaseUrl"] = AppFactory.ClosedPort;
        }

        await using var app = AppProcess.Launch(new ProcessStartInfo(executable), folder, environment, port, settings);
        var (answer, _) = await host.WaitUntilReadyAsync();
        Assert.True(answer is { StatusCode: HttpStatusCode.OK }, $"no answer on the host's port {port} within the host's 30 s ({answer?.StatusCode}):\n{string.Join('\n', app.Output)}");
        Assert.True((await host.WaitUntilReadyAsync()).Answer is { StatusCode: HttpStatusCode.OK });

        foreach (var inherited in new[] { host.Image.UrlsPort, host.Image.HttpPortsPort })
        {
            Assert.False(await AcceptsAsync(inherited), $"something listens on the inherited port {inherited}:\n{string.Join('\n', app.Output)}");
        }

        // Stopped as the platform stops it, so that every line it logged is in.
        app.Terminate();
        Assert.True(await app.WaitForExitAsync(TimeSpan.FromMinutes(1)), "the app did not stop on SIGTERM");
        var output = app.Output.ToList();
        var log = string.Join('\n', output);
        Assert.Equal([$"      Now listening on: http://127.0.0.1:{port}"], output.Where(l => l.Contains("Now listening on:", StringComparison.Ordinal)));
        Assert.Contains($"      Content root path: {Path.TrimEndingDirectorySeparator(folder)}{Path.DirectorySeparatorChar}", output);
        Assert.Contains("      Hosting environment: Production", output);
        // The app's appsettings.json, not the host's: its Information lines are there (the host's
        // file drops everything below Warning), and the host's GET / pings are not (the app's file
        // keeps Microsoft.AspNetCore at Warning, which no file at all would not).
        Assert.DoesNotContain("Request starting", log, StringComparison.Ordinal);
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
