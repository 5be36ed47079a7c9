using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Data.Tables;
using ProcoreConnect.Clients;
using ProcoreConnect.Extensions;
using ProcoreConnect.Procore;
using ProcoreConnect.Refresh;
using ProcoreConnect.Secrets;
using ProcoreConnect.Storage;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;
using ProcoreSimulator;
using ProcoreSimulator.State;
using RefreshSweep;

// Usage: RefreshSweep <storage-connection-string> [workspaces=10000] [concurrency=64] [latency-ms=50]
var storage = args[0];
var count = args.Length > 1 ? int.Parse(args[1]) : 10_000;
var concurrency = args.Length > 2 ? int.Parse(args[2]) : 64;
var latency = args.Length > 3 ? int.Parse(args[3]) : 50;

var simulator = ProcoreSimulatorApp.Create(["--urls", "http://127.0.0.1:0"], seedDemoClients: false);
await simulator.StartAsync();
var state = simulator.Services.GetRequiredService<SimulatorState>();
var simulatorUrl = simulator.Urls.Single();

var settings = new Dictionary<string, string?>
{
    ["Storage:ConnectionString"] = storage,
    ["Storage:TablePrefix"] = "b" + Guid.NewGuid().ToString("N")[..10],
    ["SecretStore:LocalKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
    ["Refresh:UseQueue"] = "false",
    ["Refresh:MaxConcurrency"] = concurrency.ToString(),
    ["Refresh:MaxPerSweep"] = (count * 2).ToString(),
};
foreach (var env in new[] { "Production", "Sandbox", "Monthly" })
{
    settings[$"Procore:{env}:LoginBaseUrl"] = simulatorUrl;
    settings[$"Procore:{env}:ApiBaseUrl"] = simulatorUrl;
}

var clock = new ManualClock(DateTimeOffset.UtcNow);
var tableCounter = new TableCounter();
var services = new ServiceCollection();
services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
services.AddProcoreConnect();
services.AddSingleton<TimeProvider>(clock);
var tableOptions = new TableClientOptions();
tableOptions.AddPolicy(tableCounter, Azure.Core.HttpPipelinePosition.PerRetry);
services.AddSingleton(new TableServiceClient(storage, tableOptions));
CountingSecretStore? secretCounter = null;
services.AddSingleton<ISecretStore>(sp => secretCounter = new CountingSecretStore(
    new LocalEncryptedSecretStore(sp.GetRequiredService<TableStore>(), Convert.FromBase64String(settings["SecretStore:LocalKey"]!))));
await using var provider = services.BuildServiceProvider();

// Seed: one partner app (one OAuth client), and each workspace a customer who authorized it
// through a real code exchange: a refresh token of its own.
var seed = Stopwatch.StartNew();
var connections = provider.GetRequiredService<WorkspaceConnectionService>();
var tokens = provider.GetRequiredService<TokenService>();
var repository = provider.GetRequiredService<WorkspaceRepository>();
const string Redirect = "http://127.0.0.1:7071/api/oauth/callback";
var app = new SimulatedClient { ClientId = "bench-app", ClientSecret = "bench-secret", Companies = [new SimulatedCompany(1001, "Bench")] };
state.Register(app);
await provider.GetRequiredService<OAuthClientService>().UpsertAsync(
    new OAuthClientRef("bench", "bench-app"),
    new OAuthClientSettings { AuthFlow = AuthFlow.AuthorizationCode, ClientId = app.ClientId, ClientSecret = app.ClientSecret, RedirectUri = new Uri(Redirect) },
    null, default);
await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
{
    var id = new WorkspaceRef("bench", $"bench-{i:D5}");
    await connections.UpsertAsync(id, new ConnectionSettings { CompanyId = 1001, Environment = ProcoreEnvironment.Sandbox, OAuthClient = "bench-app" }, null, ct);
    var issued = state.ExchangeCode(app, state.IssueCode(app.ClientId, Redirect, null), Redirect, null);
    var body = JsonSerializer.Deserialize<ProcoreTokenResponse>(JsonSerializer.Serialize(issued.Body))!;
    await tokens.ConnectAsync((await repository.FindAsync(id, ct))!, body, ct);
});
Console.WriteLine($"seeded {count} connected workspaces in {seed.Elapsed.TotalSeconds:F1} s");

// Every token is now within the lead time; Procore answers each refresh after {latency} ms.
clock.Advance(TimeSpan.FromMinutes(85));
state.SetFaults(new SimulatorFaults { TokenLatencyMs = latency });
var before = state.Stats();
tableCounter.Clear();
secretCounter!.Counts.Clear();
GC.Collect();
var process = Process.GetCurrentProcess();
long peak = 0;
using var sampler = new Timer(_ => { process.Refresh(); peak = Math.Max(peak, process.WorkingSet64); }, null, 0, 50);
var managedPeak = 0L;
using var heapSampler = new Timer(_ => managedPeak = Math.Max(managedPeak, GC.GetTotalMemory(false)), null, 0, 50);

var sweep = Stopwatch.StartNew();
var summary = await provider.GetRequiredService<RefreshSweeper>().SweepAsync(default);
sweep.Stop();
var after = state.Stats();
var refreshes = after.RefreshTokenGrants - before.RefreshTokenGrants;

var secretOps = secretCounter.Counts.Sum(c => c.Value);
var tableOps = tableCounter.Counts.Where(c => !c.Key.Contains("LocalSecrets", StringComparison.Ordinal)).Sum(c => c.Value);
Console.WriteLine($"refresh sweep: {count} workspaces due, concurrency {concurrency}, Procore token latency {latency} ms");
Console.WriteLine($"  time to refresh all: {sweep.Elapsed.TotalSeconds:F1} s ({refreshes / sweep.Elapsed.TotalSeconds:F0} refreshes/s)");
Console.WriteLine($"  sweep summary: due {summary.Due}, refreshed {summary.Refreshed}, skipped {summary.Skipped}, failed {summary.Failed}");
Console.WriteLine($"  refreshes at Procore: {refreshes}; dead refresh tokens presented: {after.RefreshTokenReuses - before.RefreshTokenReuses}; most concurrent refreshes of one grant: {after.MaxConcurrentRefreshesPerGrant}");
Console.WriteLine($"  peak working set during the sweep: {peak / 1024 / 1024} MiB; peak managed heap: {managedPeak / 1024 / 1024} MiB");
Console.WriteLine($"  secret-store operations per refresh: {(double)secretOps / refreshes:F2} ({string.Join(", ", secretCounter.Counts.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}"))})");
Console.WriteLine($"  table requests per refresh (registry, index, leases; a transaction counts once): {(double)tableOps / refreshes:F2}; all storage requests by table:");
foreach (var (key, value) in tableCounter.Counts.OrderBy(c => c.Key))
{
    Console.WriteLine($"    {key}: {value}, mean {TimeSpan.FromTicks(tableCounter.Ticks[key] / value).TotalMilliseconds:F1} ms");
}

await simulator.StopAsync();
return refreshes == count && after.RefreshTokenReuses == before.RefreshTokenReuses && after.MaxConcurrentRefreshesPerGrant <= 1 ? 0 : 1;
