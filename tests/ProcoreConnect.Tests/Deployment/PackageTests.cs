using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using ProcoreConnect.Hosting;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Deployment;

/// <summary>Builds the deployable zip with scripts/package.sh and checks it is what the Functions host expects.</summary>
public sealed class PackageTests
{
    [Slow(SlowKind.Process)]
    [Fact]
    public async Task The_package_holds_host_json_the_executable_and_every_function()
    {
        var output = Directory.CreateTempSubdirectory("package-");
        var start = new ProcessStartInfo("bash", ["scripts/package.sh", output.FullName])
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var log = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, log);

        using var zip = ZipFile.OpenRead(Path.Combine(output.FullName, "procore-connect.zip"));
        var names = zip.Entries.Select(e => e.FullName).ToHashSet();

        using var host = JsonDocument.Parse(zip.GetEntry("host.json")!.Open());
        var handler = host.RootElement.GetProperty("customHandler");
        Assert.True(handler.GetProperty("enableForwardingHttpRequest").GetBoolean());
        var executable = handler.GetProperty("description").GetProperty("defaultExecutablePath").GetString()!;
        var entry = zip.GetEntry(executable);
        Assert.NotNull(entry);
        Assert.True(((entry.ExternalAttributes >> 16) & 0b001_000_000) != 0, "the handler must be executable");
        Assert.Contains("libcoreclr.so", names); // self-contained for linux-x64

        foreach (var function in FunctionCatalog.All)
        {
            var bindingEntry = zip.GetEntry($"{function.Name}/function.json");
            Assert.True(bindingEntry is not null, $"{function.Name}/function.json is missing");
            using var binding = JsonDocument.Parse(bindingEntry.Open());
            Assert.Equal(FunctionJsonWriter.Build(function).ToJsonString(), JsonSerializer.Serialize(binding.RootElement));
        }

        Assert.Equal(FunctionCatalog.All.Count, names.Count(n => n.EndsWith("/function.json", StringComparison.Ordinal)));
        Assert.DoesNotContain("appsettings.Development.json", names);
    }

    [Fact]
    public void Azd_ships_the_zip_the_package_script_builds_and_never_publishes_the_app_itself()
    {
        // A "dotnet" service would make azd run its own dotnet publish and zip the output again;
        // a "custom" one deploys what dist names (a .zip is uploaded as it is), and the prepackage
        // hook builds it first.
        var azure = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "azure.yaml")).Select(l => l.Trim()).ToList();
        Assert.Contains("language: custom", azure);
        Assert.Contains("host: function", azure);
        Assert.Contains("dist: artifacts/procore-connect.zip", azure);
        Assert.Contains("run: bash scripts/package.sh", azure);

        var script = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "scripts", "package.sh"));
        Assert.Contains("out=${1:-artifacts}", script, StringComparison.Ordinal);
        Assert.Contains("$out/procore-connect.zip", script, StringComparison.Ordinal);
    }
}
