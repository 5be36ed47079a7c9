using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using ProcoreConnect.Hosting;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Deployment;

/// <summary>Builds the deployable zip with scripts/package.sh and checks it is what the Functions host expects.</summary>
public sealed class PackageTests
{
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
}
