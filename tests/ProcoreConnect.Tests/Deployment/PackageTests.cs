using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ProcoreConnect.Hosting;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Deployment;

/// <summary>Builds the deployable zip with scripts/package.sh and checks it is what the Functions host expects.</summary>
[Collection(nameof(Builds))]
[Slow(SlowKind.Process)]
public sealed partial class PackageTests(Builds builds)
{
    [Fact]
    public async Task The_package_holds_host_json_the_executable_and_every_function()
    {
        var package = await builds.PackageAsync();

        using var zip = ZipFile.OpenRead(package.Zip);
        var names = zip.Entries.Select(e => e.FullName).ToHashSet();

        using var host = JsonDocument.Parse(zip.GetEntry("host.json")!.Open());
        var handler = host.RootElement.GetProperty("customHandler");
        Assert.True(handler.GetProperty("enableForwardingHttpRequest").GetBoolean());
        var executable = handler.GetProperty("description").GetProperty("defaultExecutablePath").GetString()!;
        var entry = zip.GetEntry(executable);
        Assert.NotNull(entry);
        Assert.True(((entry.ExternalAttributes >> 16) & 0b001_000_000) != 0, "the handler must be executable");
        Assert.Contains("libcoreclr.so", names); // self-contained for linux-x64

        foreach (var function in AppEndpoints.Functions)
        {
            var bindingEntry = zip.GetEntry($"{function.Name}/function.json");
            Assert.True(bindingEntry is not null, $"{function.Name}/function.json is missing");
            using var binding = JsonDocument.Parse(bindingEntry.Open());
            Assert.Equal(FunctionJsonWriter.Build(function).ToJsonString(), JsonSerializer.Serialize(binding.RootElement));
        }

        Assert.Equal(AppEndpoints.Functions.Count, names.Count(n => n.EndsWith("/function.json", StringComparison.Ordinal)));
        Assert.DoesNotContain("appsettings.Development.json", names);
    }

    [Fact]
    public async Task The_bindings_come_from_the_framework_dependent_build_and_equal_what_the_linux_x64_app_writes()
    {
        var package = await builds.PackageAsync();

        // What generated them: a build any machine's dotnet runs (it names a shared framework),
        // not the self-contained linux-x64 one, which runs nowhere else.
        var tool = BindingsTool().Match(package.Log);
        Assert.True(tool.Success, "package.sh does not say what generated the bindings:\n" + package.Log);
        var runtimeConfig = JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(tool.Groups[1].Value, ".runtimeconfig.json")))!["runtimeOptions"]!;
        Assert.True(runtimeConfig["framework"] is not null || runtimeConfig["frameworks"] is not null, runtimeConfig.ToJsonString());
        Assert.Null(runtimeConfig["includedFrameworks"]);

        // Byte for byte what the packaged linux-x64 executable writes, as the build did before.
        var before = Directory.CreateTempSubdirectory("bindings-").FullName;
        try
        {
            await Builds.RunAsync(Path.Combine(package.Folder, "ProcoreConnect"), ["generate-functions", before], package.Folder);
            var expected = Directory.GetFiles(before, "function.json", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(before, f)).Order().ToList();
            Assert.Equal(AppEndpoints.Functions.Count, expected.Count);
            Assert.Equal(expected, Directory.GetFiles(package.Folder, "function.json", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(package.Folder, f)).Order());
            foreach (var file in expected)
            {
                Assert.True(File.ReadAllBytes(Path.Combine(before, file)).SequenceEqual(File.ReadAllBytes(Path.Combine(package.Folder, file))), $"{file} differs");
            }
        }
        finally
        {
            Directory.Delete(before, recursive: true);
        }
    }

    [Fact]
    public void Azd_ships_the_zip_the_package_script_builds_and_never_publishes_or_builds_the_app_itself()
    {
        // A "dotnet" service would make azd run its own dotnet publish and zip the output again;
        // a "custom" one deploys what dist names (a .zip is uploaded as it is), and the prepackage
        // hook builds it first. On Flex Consumption azd posts it to the publish endpoint, with
        // RemoteBuild only when asked (Azure/azure-dev, cli/azd/pkg/project/service_target_functionapp.go).
        var azure = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "azure.yaml")).Select(l => l.Trim()).ToList();
        Assert.Contains("language: custom", azure);
        Assert.Contains("host: function", azure);
        Assert.Contains("dist: artifacts/procore-connect.zip", azure);
        Assert.Contains("remoteBuild: false", azure);
        Assert.Contains("run: bash scripts/package.sh", azure);

        var script = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "scripts", "package.sh"));
        Assert.Contains("out=${1:-artifacts}", script, StringComparison.Ordinal);
        Assert.Contains("$out/procore-connect.zip", script, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^bindings: dotnet (\S+\.dll) generate-functions$", RegexOptions.Multiline)]
    private static partial Regex BindingsTool();
}
