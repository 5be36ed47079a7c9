using System.Diagnostics;
using System.IO.Compression;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Deployment;

/// <summary>The tests that build the app themselves, one at a time: every build restores the same project.</summary>
[CollectionDefinition(nameof(Builds))]
public sealed class BuildsGroup : ICollectionFixture<Builds>;

/// <summary>The zip <c>scripts/package.sh</c> builds, and that zip unpacked as the platform mounts it.</summary>
/// <param name="Zip">The zip.</param>
/// <param name="Folder">Its files, with the Unix modes the zip records.</param>
/// <param name="Log">What the script printed.</param>
/// <param name="Output">The folder the script wrote to.</param>
public sealed record PackageBuild(string Zip, string Folder, string Log, string Output);

/// <summary>
/// The builds of the app the deployment tests share, each made once per run when a test first asks
/// for it (a failed build is not remembered: the next test tries again): the package and the Debug build.
/// </summary>
public sealed class Builds : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private PackageBuild? _package;
    private string? _debugFolder;

    /// <summary>The package, built by <c>scripts/package.sh</c> and unpacked.</summary>
    public async Task<PackageBuild> PackageAsync() => await OnceAsync(() => _package, async () => _package = await BuildPackageAsync());

    /// <summary>The Debug build's output folder (src/ProcoreConnect/bin/Debug/net10.0), as <c>dotnet build</c> leaves it.</summary>
    public async Task<string> DebugFolderAsync() => await OnceAsync(() => _debugFolder, async () =>
    {
        await RunAsync("dotnet", ["build", "src/ProcoreConnect", "-c", "Debug", "--nologo", "-v", "quiet"]);
        return _debugFolder = Path.Combine(RepositoryRoot.Path, "src", "ProcoreConnect", "bin", "Debug", "net10.0");
    });

    /// <summary>Removes the package's folders (the Debug build stays where dotnet build puts it).</summary>
    public void Dispose()
    {
        foreach (var folder in new[] { _package?.Output, _package?.Folder }.OfType<string>().Where(Directory.Exists))
        {
            Directory.Delete(folder, recursive: true);
        }

        _gate.Dispose();
    }

    /// <summary>Runs a command from the repository root; fails with its output when it fails. Answers its output.</summary>
    public static async Task<string> RunAsync(string command, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(command, arguments)
        {
            WorkingDirectory = workingDirectory ?? RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var log = await output + await error;
        Assert.True(process.ExitCode == 0, $"{command} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}:\n{log}");
        return log;
    }

    private async Task<T> OnceAsync<T>(Func<T?> made, Func<Task<T>> make) where T : class
    {
        await _gate.WaitAsync();
        try
        {
            return made() ?? await make();
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task<PackageBuild> BuildPackageAsync()
    {
        var output = Directory.CreateTempSubdirectory("package-");
        var log = await RunAsync("bash", ["scripts/package.sh", output.FullName]);
        var zip = Path.Combine(output.FullName, "procore-connect.zip");
        var folder = Directory.CreateTempSubdirectory("wwwroot-").FullName;
        using (var archive = ZipFile.OpenRead(zip))
        {
            foreach (var entry in archive.Entries.Where(e => e.Name.Length > 0))
            {
                var path = Path.Combine(folder, entry.FullName);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                entry.ExtractToFile(path);
                // The mode the zip records, and only that: the package mount cannot add an execute bit.
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(path, (UnixFileMode)((entry.ExternalAttributes >> 16) & 0b111_111_111));
                }
            }
        }

        return new PackageBuild(zip, folder, log, output.FullName);
    }
}
