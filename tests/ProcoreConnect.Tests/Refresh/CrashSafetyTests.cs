using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using ProcoreConnect.Procore;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;
using ProcoreSimulator.State;
using Xunit.Abstractions;

namespace ProcoreConnect.Tests.Refresh;

/// <summary>
/// Runs over a thousand refreshes against the simulator (strict rotation), failing or killing the
/// process at every step in turn, and checks that only the protocol's own window (Procore
/// answered, nothing persisted) can leave a workspace broken, and that no refresh token is ever
/// refreshed twice at once.
/// </summary>
[Slow(SlowKind.Chaos)]
public sealed class CrashSafetyTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Workspaces = 24;
    private const int Iterations = 1000;

    private static readonly Uri RedirectUri = new("http://127.0.0.1:7071/api/oauth/callback");

    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private readonly FaultPlan _plan = new();
    private SimulatorHost _simulator = null!;
    private Dictionary<string, string?> _settings = null!;

    public async Task InitializeAsync()
    {
        _simulator = await SimulatorHost.StartAsync();
        _settings = _simulator.Settings();
        _settings["Storage:ConnectionString"] = Azurite.Instance.ConnectionString;
        _settings["Storage:TablePrefix"] = Azurite.NewPrefix();
        _settings["SecretStore:LocalKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        _settings["Refresh:UseQueue"] = "false";
        _settings["Tokens:PersistAttempts"] = "3";
    }

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    private static WorkspaceRef Ref(string id) => new(AppFactory.DefaultPartner, id);

    private static bool InWindow(RefreshStep step, bool kill) =>
        step == RefreshStep.ProcoreResponseLost || (kill && step == RefreshStep.WriteTokens);

    [Fact]
    public async Task No_fault_outside_the_protocol_window_breaks_a_workspace()
    {
        var steps = Enum.GetValues<RefreshStep>();
        var process = new RefreshProcess(_settings, _clock, _plan);
        var clients = new Dictionary<string, SimulatedClient>();
        for (var i = 0; i < Workspaces; i++)
        {
            var (id, client) = await ConnectAsync(process, $"crash-{i:D2}-{Guid.NewGuid():N}"[..24]);
            clients[id] = client;
        }

        var ids = clients.Keys.ToList();
        var before = await _simulator.StatsAsync();
        int windows = 0, broken = 0, brokenOutsideWindow = 0, kills = 0, fails = 0, concurrentRounds = 0;
        var faultsFired = new Dictionary<string, int>();

        for (var n = 0; n < Iterations; n++)
        {
            var id = ids[n % ids.Count];
            var step = steps[n % steps.Length];
            var kill = (n / steps.Length) % 2 == 1;
            _clock.Advance(TimeSpan.FromMinutes(90)); // every token is due again

            _plan.Arm(step, kill);
            try
            {
                await process.Tokens.GetTokenAsync(Ref(id), default);
            }
            catch (Exception ex) when (ex is InjectedFaultException or Azure.RequestFailedException or IOException || ex.InnerException is InjectedFaultException)
            {
            }
            finally
            {
                _plan.Disarm();
            }

            if (_plan.Fired == 1)
            {
                faultsFired[$"{step}/{(kill ? "kill" : "fail")}"] = faultsFired.GetValueOrDefault($"{step}/{(kill ? "kill" : "fail")}") + 1;
            }

            if (kill)
            {
                kills++;
                await process.DisposeAsync();
                process = new RefreshProcess(_settings, _clock, _plan);
                _clock.Advance(TimeSpan.FromMinutes(2)); // the dead instance's lease expires
            }
            else
            {
                fails++;
                _clock.Advance(ProcoreConnect.Clients.ConnectionHealth.Backoff(1)); // a failed refresh is not retried before its back-off
            }

            // Recovery: the next caller, the timer, or two instances at once.
            ProcoreConnect.Tokens.TokenOutcome outcome;
            if (n % 10 == 0)
            {
                concurrentRounds++;
                var sibling = new RefreshProcess(_settings, _clock, _plan);
                var both = await Task.WhenAll(process.Tokens.GetTokenAsync(Ref(id), default), sibling.Tokens.GetTokenAsync(Ref(id), default));
                await sibling.DisposeAsync();
                outcome = both[0];
                Assert.Equal(both[0].Status, both[1].Status);
            }
            else if (n % 2 == 0)
            {
                await process.Sweeper.RefreshAsync([(await process.Workspaces.FindAsync(id, default))!.Due()], null, default);
                outcome = await process.Tokens.GetTokenAsync(Ref(id), default);
            }
            else
            {
                outcome = await process.Tokens.GetTokenAsync(Ref(id), default);
            }

            var usable = outcome.Token is { } token && await WorksAtProcoreAsync(token.AccessToken);
            var window = InWindow(step, kill);
            windows += window ? 1 : 0;
            if (!usable)
            {
                broken++;
                if (!window)
                {
                    brokenOutsideWindow++;
                    output.WriteLine($"BROKEN outside the window: iteration {n}, {step} ({(kill ? "kill" : "fail")}), {outcome.Status}: {outcome.Detail}");
                }

                // A person reconnects it, and the test goes on.
                await ReconnectAsync(process, id, clients[id]);
            }
        }

        await process.DisposeAsync();
        var after = await _simulator.StatsAsync();
        var refreshes = after.RefreshTokenGrants - before.RefreshTokenGrants;
        output.WriteLine($"refreshes at Procore: {refreshes}; iterations: {Iterations} ({fails} failed, {kills} killed, {concurrentRounds} with two instances)");
        output.WriteLine($"faults in the protocol window: {windows}; broken workspaces: {broken} (outside the window: {brokenOutsideWindow})");
        output.WriteLine($"dead refresh tokens presented: {after.RefreshTokenReuses - before.RefreshTokenReuses}; most concurrent refreshes of one grant: {after.MaxConcurrentRefreshesPerGrant}");
        output.WriteLine("faults fired: " + string.Join(", ", faultsFired.OrderBy(f => f.Key).Select(f => $"{f.Key}={f.Value}")));
        Console.WriteLine($"crash-safety: {refreshes} refreshes, {windows} window faults, {broken} broken, {brokenOutsideWindow} broken outside the window, max concurrent refreshes {after.MaxConcurrentRefreshesPerGrant}");

        Assert.True(refreshes >= 1000, $"only {refreshes} refreshes");
        Assert.Equal(0, brokenOutsideWindow);
        Assert.Equal(1, after.MaxConcurrentRefreshesPerGrant);
        Assert.True(broken <= windows);
        Assert.Equal(steps.Length * 2, faultsFired.Count); // every step failed and killed at least once
    }

    private async Task<bool> WorksAtProcoreAsync(string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/rest/v1.0/me");
        request.Headers.Authorization = new("Bearer", accessToken);
        return (await _simulator.Http.SendAsync(request)).StatusCode == HttpStatusCode.OK;
    }

    private async Task<(string Id, SimulatedClient Client)> ConnectAsync(RefreshProcess process, string id)
    {
        var client = _simulator.Register();
        var oauthClient = await process.Clients.UpsertAsync(new ProcoreConnect.Clients.OAuthClientRef(AppFactory.DefaultPartner, client.ClientId), new ProcoreConnect.Clients.OAuthClientSettings
        {
            AuthFlow = ProcoreConnect.Clients.AuthFlow.AuthorizationCode,
            ClientId = client.ClientId,
            ClientSecret = client.ClientSecret,
            RedirectUri = RedirectUri,
        }, null, default);
        Assert.Equal(ProcoreConnect.Common.WriteStatus.Created, oauthClient.Status);
        var created = await process.Connections.UpsertAsync(Ref(id), new ConnectionSettings
        {
            CompanyId = 1001,
            Environment = ProcoreEnvironment.Sandbox,
            OAuthClient = client.ClientId,
        }, null, default);
        Assert.Equal(ProcoreConnect.Common.WriteStatus.Created, created.Status);
        await ReconnectAsync(process, id, client);
        return (id, client);
    }

    private async Task ReconnectAsync(RefreshProcess process, string id, SimulatedClient client)
    {
        var code = _simulator.State.IssueCode(client.ClientId, RedirectUri.ToString(), null);
        var issued = _simulator.State.ExchangeCode(client, code, RedirectUri.ToString(), null);
        var body = JsonSerializer.Deserialize<ProcoreTokenResponse>(JsonSerializer.Serialize(issued.Body))!;
        var workspace = (await process.Workspaces.FindAsync(id, default))!;
        await process.Grants.ConnectAsync(workspace, body, default);
    }
}
