using System.Security.Cryptography;
using System.Text.Json;
using ProcoreConnect.ClientManagement;
using ProcoreConnect.Clients;
using ProcoreConnect.Procore;
using ProcoreConnect.Refresh;
using ProcoreConnect.Tokens;
using ProcoreConnect.WorkspaceConnections;
using ProcoreConnect.Workspaces;
using ProcoreSimulator;
using ProcoreSimulator.State;
using RefreshSweep;

// Usage: RefreshSweep <storage-connection-string> [workspaces=10000] [concurrency=64] [latency-ms=50]
// Refreshes 10,000 due workspaces through the timer path, then 10,000 others (in tables of their
// own) through the queue path (the local queue worker standing in for the Functions host), then
// measures DMSA tokens.
var storage = args[0];
var count = args.Length > 1 ? int.Parse(args[1]) : 10_000;
var concurrency = args.Length > 2 ? int.Parse(args[2]) : 64;
var latency = args.Length > 3 ? int.Parse(args[3]) : 50;

var simulator = ProcoreSimulatorApp.Create(["--urls", "http://127.0.0.1:0"], seedDemoClients: false);
await simulator.StartAsync();
var state = simulator.Services.GetRequiredService<SimulatorState>();
var simulatorUrl = simulator.Urls.Single();

var settings = Settings("b" + Guid.NewGuid().ToString("N")[..10]);
var clock = new ManualClock(DateTimeOffset.UtcNow);
await using var timer = BenchInstance.Create(settings, clock, useQueue: false);
await SeedAsync(timer);

// Every token is now within the lead time; Procore answers each refresh after {latency} ms.
clock.Advance(TimeSpan.FromMinutes(85));
state.SetFaults(new SimulatorFaults { TokenLatencyMs = latency });
var conditions = $"{count} workspaces due, concurrency {concurrency}, Procore token latency {latency} ms";
var timed = await Phase.RunAsync($"== refresh, timer path (Refresh__UseQueue=false): {conditions}", timer, state, count, async () =>
{
    var s = await timer.Get<RefreshSweeper>().SweepAsync(default);
    return $"sweep summary: due {s.Due}, refreshed {s.Refreshed}, skipped {s.Skipped}, failed {s.Failed}";
});

// As many workspaces again, in tables of their own (Azurite slows down as a table grows, so the
// second path must not meet the first one's rows), on an instance that enqueues and drains the queue.
state.SetFaults(new SimulatorFaults());
await using var queued = BenchInstance.Create(Settings("q" + Guid.NewGuid().ToString("N")[..10]), clock, useQueue: true);
await SeedAsync(queued);
clock.Advance(TimeSpan.FromMinutes(85));
state.SetFaults(new SimulatorFaults { TokenLatencyMs = latency });
var perMessage = queued.Get<Microsoft.Extensions.Options.IOptions<RefreshOptions>>().Value.EntriesPerMessage;
var queue = await Phase.RunAsync($"== refresh, queue path (Refresh__UseQueue=true, local queue worker, {perMessage} entries per message): {conditions}", queued, state, count, async () =>
{
    var s = await queued.Get<RefreshSweeper>().SweepAsync(default);
    var messages = await queued.Get<LocalQueueWorker>().DrainAsync(default);

    return $"the timer enqueued {s.Enqueued} due entries; the local queue worker handled {messages} messages";
});
Console.WriteLine($"queue path time = {queue.Elapsed / timed.Elapsed:F2}x the timer path's in this run (target <= 1.5x)");

state.SetFaults(new SimulatorFaults());
var dmsaSettings = Settings("d" + Guid.NewGuid().ToString("N")[..10]);
var dmsa = await Dmsa.RunAsync(() => BenchInstance.Create(dmsaSettings, clock, useQueue: false), state, clock, count);

await simulator.StopAsync();
return new[] { timed, queue }.All(r => r.Refreshes == count && r.DeadTokens == 0 && r.MaxConcurrent <= 1) && dmsa ? 0 : 1;

Dictionary<string, string?> Settings(string prefix)
{
    var values = new Dictionary<string, string?>
    {
        ["Storage:ConnectionString"] = storage,
        ["Storage:TablePrefix"] = prefix,
        ["SecretStore:LocalKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Refresh:QueueName"] = prefix + "-refresh-due",
        ["Refresh:MaxConcurrency"] = concurrency.ToString(),
        ["Refresh:MaxPerSweep"] = (count * 2).ToString(),
    };
    foreach (var env in new[] { "Production", "Sandbox", "Monthly" })
    {
        values[$"Procore:{env}:LoginBaseUrl"] = simulatorUrl;
        values[$"Procore:{env}:ApiBaseUrl"] = simulatorUrl;
    }

    return values;
}

// One partner app (one OAuth client), and each workspace a customer who authorized it through a
// real code exchange: a refresh token of its own.
async Task SeedAsync(BenchInstance instance)
{
    var seed = System.Diagnostics.Stopwatch.StartNew();
    var connections = instance.Get<WorkspaceConnectionService>();
    var grants = instance.Get<GrantConnector>();
    var repository = instance.Get<WorkspaceRepository>();
    const string Redirect = "http://127.0.0.1:7071/api/oauth/callback";
    var app = new SimulatedClient { ClientId = "bench-app", ClientSecret = "bench-secret", Companies = [new SimulatedCompany(1001, "Bench")] };
    state.Register(app);
    await instance.Get<OAuthClientService>().UpsertAsync(
        new OAuthClientRef("bench", "bench-app"),
        new OAuthClientSettings { AuthFlow = AuthFlow.AuthorizationCode, ClientId = app.ClientId, ClientSecret = app.ClientSecret, RedirectUri = new Uri(Redirect) },
        null, default);
    await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
    {
        var id = new WorkspaceRef("bench", $"bench-{i:D5}");
        await connections.UpsertAsync(id, new ConnectionSettings { CompanyId = 1001, Environment = ProcoreEnvironment.Sandbox, OAuthClient = "bench-app" }, null, ct);
        var issued = state.ExchangeCode(app, state.IssueCode(app.ClientId, Redirect, null), Redirect, null);
        var body = JsonSerializer.Deserialize<ProcoreTokenResponse>(JsonSerializer.Serialize(issued.Body))!;
        await grants.ConnectAsync((await repository.FindAsync(id, ct))!, body, ct);
    });
    Console.WriteLine($"seeded {count} connected workspaces in {seed.Elapsed.TotalSeconds:F1} s");
}
