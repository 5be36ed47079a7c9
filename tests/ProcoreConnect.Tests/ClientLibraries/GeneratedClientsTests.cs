using System.Text.Json.Nodes;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.ClientLibraries;

/// <summary>
/// The committed client libraries (clients/) are what <c>scripts/generate-clients.sh</c> generates
/// from the OpenAPI document the app serves today: a change to an endpoint that was not followed by
/// a regeneration fails here.
/// </summary>
public sealed class GeneratedClientsTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string Regenerate = "run scripts/generate-clients.sh and commit what it writes";

    [Fact]
    public async Task The_committed_document_is_the_one_the_app_serves()
    {
        var served = JsonNode.Parse(await app.AnonymousClient().GetStringAsync(new Uri("/api/openapi.json", UriKind.Relative)))!.AsObject();
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "clients", "openapi.json")))!.AsObject();

        // The servers name the deployment, which differs between this test's app and the generator's.
        served.Remove("servers");
        committed.Remove("servers");
        Assert.True(
            JsonNode.DeepEquals(served, committed),
            $"clients/openapi.json is not the document the app serves at /api/openapi.json: {Regenerate}.");
    }

    [Fact]
    [Slow(SlowKind.Process)]
    public async Task Regenerating_the_libraries_changes_nothing()
    {
        // The app as the tests built it, so the script need not build it again.
        var (exitCode, output) = await Command.RunAsync(
            "bash", ["scripts/generate-clients.sh", "--check"], TimeSpan.FromMinutes(10),
            new Dictionary<string, string> { ["PROCORE_CONNECT_DLL"] = Path.Combine(AppContext.BaseDirectory, "ProcoreConnect.dll") });

        Assert.True(exitCode == 0, $"scripts/generate-clients.sh --check exited with {exitCode} ({Regenerate}):\n{output}");
    }
}
