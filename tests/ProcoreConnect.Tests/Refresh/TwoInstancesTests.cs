using System.Net;
using System.Security.Cryptography;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ProcoreConnect.Refresh;
using ProcoreConnect.Security;
using ProcoreConnect.Storage;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Tokens;
using ProcoreSimulator.State;
using Xunit.Abstractions;

namespace ProcoreConnect.Tests.Refresh;

/// <summary>
/// Two app processes against one Azurite and one simulator, as two instances of the Function App
/// run: concurrent token calls and sweeps on both refresh each workspace once, and an instance
/// killed (SIGKILL) or stopped (SIGTERM) mid-sweep loses nothing outside the window between
/// Procore's answer and the write that stores it.
/// </summary>
[Slow(SlowKind.Process)]
[Collection(nameof(TwoInstancesTests))]
public sealed class TwoInstancesTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string AdminKey = "two-instances-admin-key-0123456789";
    private const string Partner = "partner-two";

    private SimulatorHost _simulator = null!;
    private readonly List<AppProcess> _apps = [];

    public async Task InitializeAsync() => _simulator = await SimulatorHost.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        await _simulator.DisposeAsync();
    }

    private sealed record Pair(AppProcess A, AppProcess B, HttpClient PartnerA, HttpClient PartnerB, IReadOnlyList<string> Ids, TableStore Tables);

    // Two instances of one deployment, and `count` connected workspaces whose tokens are due.
    private async Task<Pair> StartAsync(int count, int answerLatencyMs = 0, int sweepConcurrency = 16)
    {
        var prefix = Azurite.NewPrefix();
        var settings = new Dictionary<string, string?>(_simulator.Settings())
        {
            ["Storage:ConnectionString"] = Azurite.Instance.ConnectionString,
            ["Storage:TablePrefix"] = prefix,
            ["SecretStore:LocalKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Auth:AdminKeySha256"] = PartnerKeyStore.Sha256Hex(AdminKey),
            ["Refresh:UseQueue"] = "false",
            ["Refresh:QueueName"] = "q" + Guid.NewGuid().ToString("N")[..12],
            ["Refresh:MaxConcurrency"] = sweepConcurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Tokens:LeaseDuration"] = "00:00:05",
            ["Logging:LogLevel:Default"] = "Warning",
            // Setting up 48 connections is 96 rate-limited writes in a few seconds; the limit is not under test here.
            ["RateLimits:PermitLimit"] = "1000000",
        };
        var started = await Task.WhenAll(AppProcess.StartAsync(settings), AppProcess.StartAsync(settings));
        _apps.AddRange(started);
        var (a, b) = (started[0], started[1]);

        var admin = a.ClientWith(AdminKey);
        var created = await admin.PostAsync($"/api/partners/{Partner}/keys", null);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = (await created.ReadJsonAsync()).GetProperty("key").GetString()!;
        var (partnerA, partnerB) = (a.ClientWith(key), b.ClientWith(key));

        var app = _simulator.Register();
        var body = Connections.Client(app.ClientSecret, clientId: app.ClientId).Without("redirectUri");
        Assert.Equal(HttpStatusCode.Created, (await partnerA.PutAsync("/api/oauth-clients/app", Json.Body(body))).StatusCode);

        // Tokens that live 601 s are due 1 s after they are issued (the lead time is 10 minutes).
        _simulator.State.SetFaults(new SimulatorFaults { AccessTokenLifetimeSeconds = 601 });
        var browser = new Browser(partnerA, _simulator.BaseUrl);
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var id = Connections.NewId();
            Assert.Equal(HttpStatusCode.Created, (await partnerA.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid("app")))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await browser.ConnectAsync(id)).Callback.StatusCode);
            ids.Add(id);
        }

        _simulator.State.SetFaults(new SimulatorFaults { TokenAnswerLatencyMs = answerLatencyMs });
        // The instances' own storage, read as they read it.
        var tables = new TableStore(new TableServiceClient(Azurite.Instance.ConnectionString), Options.Create(new StorageOptions { TablePrefix = prefix }));
        var index = new RefreshDueIndex(tables);
        await Wait.UntilAsync(
            async () => (await index.DueAsync(DateTimeOffset.UtcNow, count + 1, default)).Count >= count,
            $"the due index to list all {count} workspaces as due");
        return new Pair(a, b, partnerA, partnerB, ids, tables);
    }

    // Until no lease is live: those a stopped instance left behind have run out.
    private static Task LeasesExpiredAsync(Pair pair) =>
        Wait.UntilAsync(
            async () =>
            {
                var leases = await pair.Tables.GetAsync(RefreshLeaseStore.TableName, default);
                await foreach (var lease in leases.QueryAsync<TableEntity>())
                {
                    if (lease.GetDateTimeOffset("ExpiresAt") > DateTimeOffset.UtcNow)
                    {
                        return false;
                    }
                }

                return true;
            },
            "every refresh lease to be released or expired");

    // Until the simulator has processed `count` more refreshes: the sweeps are under way, and with an
    // answer latency, those refreshes' answers are still travelling.
    private Task RefreshesProcessedAsync(SimulatorStats before, int count) =>
        Wait.UntilAsync(
            () => _simulator.State.Stats().RefreshTokenGrants - before.RefreshTokenGrants >= count,
            $"Procore to process {count} refreshes of the sweeps");

    // Every workspace's token through `via`: how many answer with a token, and how many need a person.
    private static async Task<(int Ok, int Broken)> TokensAsync(HttpClient via, IEnumerable<string> ids)
    {
        var statuses = await Task.WhenAll(ids.Select(async id => (await via.GetAsync($"/api/workspaces/{id}/token")).StatusCode));
        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        return (statuses.Count(s => s == HttpStatusCode.OK), statuses.Count(s => s == HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task Two_hundred_token_calls_over_both_instances_refresh_each_workspace_once()
    {
        var pair = await StartAsync(20);
        var before = await _simulator.StatsAsync();

        var calls = Enumerable.Range(0, 200).Select(async n =>
        {
            var id = pair.Ids[n % pair.Ids.Count];
            var response = await (n % 2 == 0 ? pair.PartnerA : pair.PartnerB).GetAsync($"/api/workspaces/{id}/token");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (id, (await response.ReadAsync<TokenResponse>()).AccessToken);
        });
        var answers = await Task.WhenAll(calls);

        var after = await _simulator.StatsAsync();
        output.WriteLine($"refreshes: {after.RefreshTokenGrants - before.RefreshTokenGrants}; reuses: {after.RefreshTokenReuses - before.RefreshTokenReuses}; most concurrent per grant: {after.MaxConcurrentRefreshesPerGrant}");
        Assert.Equal(pair.Ids.Count, after.RefreshTokenGrants - before.RefreshTokenGrants);
        Assert.Equal(0, after.RefreshTokenReuses - before.RefreshTokenReuses);
        Assert.Equal(1, after.MaxConcurrentRefreshesPerGrant);
        Assert.All(answers.GroupBy(a => a.id), g => Assert.Single(g.Select(a => a.AccessToken).Distinct()));
    }

    [Fact]
    public async Task A_sweep_started_on_both_instances_refreshes_every_due_workspace_once()
    {
        var pair = await StartAsync(40, answerLatencyMs: 20, sweepConcurrency: 4);
        var before = await _simulator.StatsAsync();

        var sweeps = await Task.WhenAll(pair.A.InvokeTimerAsync("RefreshTokens"), pair.B.InvokeTimerAsync("RefreshTokens"));

        Assert.All(sweeps, s => Assert.Equal(HttpStatusCode.OK, s.StatusCode));
        var after = await _simulator.StatsAsync();
        output.WriteLine($"refreshes: {after.RefreshTokenGrants - before.RefreshTokenGrants} of {pair.Ids.Count}; reuses: {after.RefreshTokenReuses - before.RefreshTokenReuses}");
        Assert.Equal(pair.Ids.Count, after.RefreshTokenGrants - before.RefreshTokenGrants);
        Assert.Equal(0, after.RefreshTokenReuses - before.RefreshTokenReuses);
        Assert.Equal(1, after.MaxConcurrentRefreshesPerGrant);
        Assert.Equal((pair.Ids.Count, 0), await TokensAsync(pair.PartnerB, pair.Ids));
        Assert.Equal(after.RefreshTokenGrants, (await _simulator.StatsAsync()).RefreshTokenGrants); // refreshed tokens are not due: no more refreshes
    }

    [Fact]
    public async Task An_instance_killed_mid_sweep_loses_at_most_the_refreshes_procore_was_answering()
    {
        const int concurrency = 4;
        var pair = await StartAsync(48, answerLatencyMs: 250, sweepConcurrency: concurrency);
        var before = await _simulator.StatsAsync();

        var sweepA = pair.A.InvokeTimerAsync("RefreshTokens");
        var sweepB = pair.B.InvokeTimerAsync("RefreshTokens");
        await RefreshesProcessedAsync(before, concurrency);
        pair.A.Kill();
        await Assert.ThrowsAnyAsync<Exception>(() => sweepA);
        Assert.Equal(HttpStatusCode.OK, (await sweepB).StatusCode);

        // The dead instance's leases run out; the survivor's next sweep finds what it left.
        await LeasesExpiredAsync(pair);
        Assert.Equal(HttpStatusCode.OK, (await pair.B.InvokeTimerAsync("RefreshTokens")).StatusCode);

        var (ok, broken) = await TokensAsync(pair.PartnerB, pair.Ids);
        var after = await _simulator.StatsAsync();
        var reuses = after.RefreshTokenReuses - before.RefreshTokenReuses;
        output.WriteLine($"workspaces: {pair.Ids.Count}; working: {ok}; needing a person: {broken}; dead refresh tokens presented: {reuses}; refreshes: {after.RefreshTokenGrants - before.RefreshTokenGrants}");
        Assert.True(broken <= concurrency, $"{broken} broken; at most {concurrency} refreshes were in flight on the killed instance");
        // Each broken workspace is one whose refresh Procore answered to the dead instance: its stored
        // token was rotated away, and presenting it is the one reuse that tells.
        Assert.Equal(broken, reuses);
        Assert.Equal(pair.Ids.Count, ok + broken);
    }

    [Fact]
    public async Task An_instance_stopped_with_SIGTERM_mid_sweep_finishes_what_it_started_and_loses_nothing()
    {
        const int concurrency = 4;
        var pair = await StartAsync(48, answerLatencyMs: 250, sweepConcurrency: concurrency);
        var before = await _simulator.StatsAsync();

        var sweep = pair.A.InvokeTimerAsync("RefreshTokens");
        await RefreshesProcessedAsync(before, concurrency);
        pair.A.Terminate();
        Assert.True(await pair.A.WaitForExitAsync(TimeSpan.FromSeconds(20)), "the instance did not stop within 20 s of SIGTERM");
        var answered = sweep.IsCompletedSuccessfully ? (await sweep).StatusCode.ToString() : "nothing";
        output.WriteLine($"exit code {pair.A.ExitCode}; sweep answered {answered}");
        Assert.Equal(0, pair.A.ExitCode);

        await LeasesExpiredAsync(pair);
        Assert.Equal(HttpStatusCode.OK, (await pair.B.InvokeTimerAsync("RefreshTokens")).StatusCode);

        var (ok, broken) = await TokensAsync(pair.PartnerB, pair.Ids);
        var after = await _simulator.StatsAsync();
        output.WriteLine($"working: {ok}; needing a person: {broken}; refreshes: {after.RefreshTokenGrants - before.RefreshTokenGrants}; reuses: {after.RefreshTokenReuses - before.RefreshTokenReuses}");
        Assert.Equal((pair.Ids.Count, 0), (ok, broken));
        Assert.Equal(0, after.RefreshTokenReuses - before.RefreshTokenReuses);
        Assert.Equal(pair.Ids.Count, after.RefreshTokenGrants - before.RefreshTokenGrants);
    }
}
