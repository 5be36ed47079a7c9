using System.Net;
using System.Text.Json;
using ProcoreConnect.Clients;
using ProcoreConnect.Events;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;
using ProcoreSimulator.State;

namespace ProcoreConnect.Tests.Events;

/// <summary>Broken and recovered are sent once per change; a failing connection is backed off, not hammered.</summary>
public sealed class ConnectionEventTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>, IAsyncLifetime
{
    private EventReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await EventReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private async Task<HttpClient> PartnerAsync()
    {
        var client = fixture.App.ClientFor("partner-" + Guid.NewGuid().ToString("N")[..8], new() { AllowAutoRedirect = false });
        (await client.PutAsync("/api/partner/webhook", Json.Body(new { url = _receiver.Url }))).EnsureSuccessStatusCode();
        return client;
    }

    private async Task<List<JsonElement>> EventsAsync(string? workspaceId = null)
    {
        while (await fixture.App.Service<EventDispatcher>().DeliverDueAsync(default) > 0)
        {
        }

        // Deliveries run in parallel, so arrival order is not event order; ids sort by the time they happened.
        return [.. _receiver.Received.Select(r => JsonDocument.Parse(r.Body).RootElement)
            .Where(e => workspaceId is null || e.GetProperty("workspaceId").ToString() == workspaceId)
            .OrderBy(e => e.GetProperty("id").GetString(), StringComparer.Ordinal)];
    }

    /// <summary>Requests to Procore's token endpoint so far; the simulator is shared, so tests compare before and after.</summary>
    private async Task<(int Failed, int All)> TokenRequestsAsync()
    {
        var stats = await fixture.Simulator.StatsAsync();
        return (stats.FailedTokenRequests, stats.FailedTokenRequests + stats.RefreshTokenGrants + stats.ClientCredentialsGrants);
    }

    private static string[] Types(IEnumerable<JsonElement> events) => [.. events.Select(e => e.GetProperty("type").GetString()!)];

    /// <summary>A new partner with its webhook, and a workspace of it connected through a new app.</summary>
    private async Task<(HttpClient Client, SimulatedClient App, string Id)> ConnectedAsync()
    {
        var client = await PartnerAsync();
        var app = fixture.Simulator.Register();
        var id = await fixture.CreateWorkspaceAsync(app, caller: client);
        await new Browser(client, fixture.Simulator.BaseUrl).ConnectAsync(id);
        return (client, app, id);
    }

    [Fact]
    public async Task Three_failed_refreshes_in_a_row_break_a_connection_once_and_the_first_success_recovers_it_once()
    {
        var (client, app, id) = await ConnectedAsync();
        fixture.Clock.Advance(TimeSpan.FromMinutes(85)); // due; 5 minutes of the access token left
        fixture.Simulator.State.SetFaults(new SimulatorFaults { TokenFailures = [503, 503, 503] }); // throttled: the refresh token survives
        var start = await TokenRequestsAsync();
        var calls = 0;

        async Task<HttpResponseMessage> TokenAsync()
        {
            calls++;
            return await client.GetAsync($"/api/workspaces/{id}/token");
        }

        foreach (var wait in new[] { 0, 31, 61 })
        {
            fixture.Clock.Advance(TimeSpan.FromSeconds(wait));
            Assert.Equal(HttpStatusCode.OK, (await TokenAsync()).StatusCode); // the still-valid token, each time
            for (var i = 0; i < 20; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await TokenAsync()).StatusCode); // backing off: nothing sent to Procore
            }
        }

        var afterFailures = await TokenRequestsAsync();
        Assert.Equal(3, afterFailures.Failed - start.Failed);
        Assert.Equal(3, afterFailures.All - start.All); // 63 calls, 3 sent to Procore
        var broken = await fixture.App.Service<WorkspaceRepository>().FindAsync(new WorkspaceRef(
            (await fixture.App.Service<WorkspaceRepository>().ListAllAsync(100, null, default)).Items.Single(w => w.Id == id).PartnerId, id), default);
        Assert.Equal(ConnectionHealth.RefreshFailing, broken!.Health.BrokenReason);
        Assert.Equal(["connected", "connection.broken"], Types(await EventsAsync(id)));

        fixture.Clock.Advance(TimeSpan.FromSeconds(121));
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync()).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync()).StatusCode);

        var events = await EventsAsync(id);
        Assert.Equal(["connected", "connection.broken", "connection.recovered"], Types(events));
        Assert.Equal("refresh_failing", events[1].GetProperty("data").GetProperty("reason").GetString());
        Assert.True(calls > 60);
    }

    [Fact]
    public async Task A_failing_connection_that_then_needs_a_person_is_reported_broken_again_with_that_reason()
    {
        var (client, app, id) = await ConnectedAsync();
        fixture.Clock.Advance(TimeSpan.FromMinutes(85));
        fixture.Simulator.State.SetFaults(new SimulatorFaults { TokenFailures = [503, 503, 503] });
        foreach (var wait in new[] { 0, 31, 61 })
        {
            fixture.Clock.Advance(TimeSpan.FromSeconds(wait));
            await client.GetAsync($"/api/workspaces/{id}/token");
        }

        Assert.Equal(["connected", "connection.broken"], Types(await EventsAsync(id)));

        // Procore answers again, and refuses the refresh token: now a person must act.
        fixture.Simulator.State.RevokeClient(app.ClientId);
        fixture.Clock.Advance(TimeSpan.FromSeconds(121));
        Assert.Equal(HttpStatusCode.Conflict, (await client.GetAsync($"/api/workspaces/{id}/token")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.GetAsync($"/api/workspaces/{id}/token")).StatusCode);

        var events = await EventsAsync(id);
        Assert.Equal(["connected", "connection.broken", "connection.broken"], Types(events));
        Assert.Equal(["refresh_failing", "needs_reauthorization"], events.Skip(1).Select(e => e.GetProperty("data").GetProperty("reason").GetString()));
        var view = await (await client.GetAsync($"/api/workspaces/{id}/connection")).ReadAsync<ConnectionResponse>();
        Assert.Equal("needs_reauthorization", view.BrokenReason);

        await new Browser(client, fixture.Simulator.BaseUrl).ConnectAsync(id);
        Assert.Equal(["connected", "connection.broken", "connection.broken", "connected", "connection.recovered"], Types(await EventsAsync(id)));
    }

    [Fact]
    public async Task A_caller_waiting_on_another_instance_s_lease_honours_the_back_off_that_instance_just_set()
    {
        var (client, app, id) = await ConnectedAsync();
        fixture.Clock.Advance(TimeSpan.FromMinutes(85)); // due; 5 minutes of the access token left
        var repository = fixture.App.Service<WorkspaceRepository>();
        var workspace = (await repository.ListAllAsync(100, null, default)).Items.Single(w => w.Id == id);
        var leases = fixture.App.Service<RefreshLeaseStore>();
        var held = await leases.TryAcquireAsync(workspace.Key, "another-instance", default);
        Assert.NotNull(held);
        var start = await TokenRequestsAsync();

        var polling = fixture.Clock.NextTimer(ProcoreFixture.LeasePoll);
        var waiting = client.GetAsync($"/api/workspaces/{id}/token");
        await Wait.ForAsync(polling, "the token call to find the lease held and start polling it");
        // The other instance's refresh failed in transit: it records the back-off and lets go.
        await fixture.App.Service<TokenPersister>().RecordFailureAsync(
            workspace, WorkspaceStatus.Connected, "Procore's token endpoint failed.", ConnectionHealth.RefreshFailing, transient: true, default);
        await leases.ReleaseAsync(held!, default);
        await fixture.Clock.AdvanceUntilAsync(waiting, ProcoreFixture.LeasePoll, "the waiting token call");

        Assert.Equal(HttpStatusCode.OK, (await waiting).StatusCode); // the still-valid token
        Assert.Equal(start, await TokenRequestsAsync()); // and nothing presented to Procore
    }

    [Fact]
    public async Task A_failing_daily_check_breaks_the_connection_and_a_person_connecting_again_recovers_it()
    {
        var client = await PartnerAsync();
        var app = fixture.Simulator.Register();
        var id = await fixture.CreateWorkspaceAsync(app, caller: client);
        await new Browser(client, fixture.Simulator.BaseUrl).ConnectAsync(id);
        fixture.Simulator.State.Register(app with { HasPermissions = false }); // the user lost its tool permissions

        await fixture.App.Service<ProcoreConnect.Maintenance.ConnectionChecker>().CheckAllAsync(default);
        var view = await (await client.GetAsync($"/api/workspaces/{id}/connection")).ReadAsync<ConnectionResponse>();
        Assert.Equal("check_failing", view.BrokenReason);
        Assert.Equal(["connected", "connection.broken"], Types(await EventsAsync(id)));

        // The permissions are given back, and a person connects again.
        fixture.Simulator.State.Register(app);
        await new Browser(client, fixture.Simulator.BaseUrl).ConnectAsync(id);

        Assert.Null((await (await client.GetAsync($"/api/workspaces/{id}/connection")).ReadAsync<ConnectionResponse>()).BrokenReason);
        Assert.Equal(["connected", "connection.broken", "connected", "connection.recovered"], Types(await EventsAsync(id)));
    }

    [Fact]
    public async Task A_refused_refresh_token_breaks_the_connection_at_once_and_reconnecting_recovers_it()
    {
        var (client, app, id) = await ConnectedAsync();
        fixture.Simulator.State.RevokeClient(app.ClientId);
        fixture.Clock.Advance(TimeSpan.FromMinutes(85));

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Conflict, (await client.GetAsync($"/api/workspaces/{id}/token")).StatusCode);
        }

        var view = await (await client.GetAsync($"/api/workspaces/{id}/connection")).ReadAsync<ConnectionResponse>();
        Assert.Equal("needs_reauthorization", view.BrokenReason);
        Assert.NotNull(view.BrokenSince);

        Assert.Equal(HttpStatusCode.OK, (await new Browser(client, fixture.Simulator.BaseUrl).ConnectAsync(id)).Callback.StatusCode);

        var events = await EventsAsync(id);
        Assert.Equal(["connected", "connection.broken"], Types(events)[..2]);
        Assert.Equal(["connected", "connection.recovered"], Types(events)[2..].Order()); // the same instant
        Assert.Equal("needs_reauthorization", events[1].GetProperty("data").GetProperty("reason").GetString());
        Assert.Null((await (await client.GetAsync($"/api/workspaces/{id}/connection")).ReadAsync<ConnectionResponse>()).BrokenSince);
    }

    [Fact]
    public async Task A_broken_workspace_moved_to_another_client_with_an_imported_token_recovers()
    {
        var (client, app, id) = await ConnectedAsync();
        fixture.Simulator.State.RevokeClient(app.ClientId);
        fixture.Clock.Advance(TimeSpan.FromMinutes(85));
        Assert.Equal(HttpStatusCode.Conflict, (await client.GetAsync($"/api/workspaces/{id}/token")).StatusCode);
        var otherApp = fixture.Simulator.Register();
        var other = await fixture.CreateClientAsync(otherApp, caller: client);
        var (_, refresh) = fixture.Simulator.GrantElsewhere(otherApp);

        var moved = await client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid(other).With("refreshToken", refresh)));

        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Null((await moved.ReadAsync<ConnectionResponse>()).BrokenSince);
        var types = Types(await EventsAsync(id));
        Assert.Equal(["connected", "connection.broken"], types[..2]);
        Assert.Equal(["connected", "connection.recovered"], types[2..].Order());
    }

    [Fact]
    public async Task With_no_valid_token_left_callers_are_told_when_to_come_back_and_procore_is_not_asked_meanwhile()
    {
        var (client, app, id) = await ConnectedAsync();
        fixture.Clock.Advance(TimeSpan.FromMinutes(95)); // expired
        fixture.Simulator.State.SetFaults(new SimulatorFaults { TokenFailures = [503] });

        var first = await client.GetAsync($"/api/workspaces/{id}/token");
        Assert.Equal(HttpStatusCode.BadGateway, first.StatusCode);
        Assert.Equal("30", first.Headers.RetryAfter?.ToString());
        var before = await TokenRequestsAsync();

        var waiting = await client.GetAsync($"/api/workspaces/{id}/token");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, waiting.StatusCode);
        Assert.Equal("refresh_cooling_down", (await waiting.ReadJsonAsync()).GetProperty("code").GetString());
        Assert.Equal("30", waiting.Headers.RetryAfter?.ToString());
        Assert.Equal(before.All, (await TokenRequestsAsync()).All);

        fixture.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/workspaces/{id}/token")).StatusCode);
    }

    [Fact]
    public async Task A_dmsa_clients_shared_token_breaks_and_recovers_once_for_all_its_workspaces()
    {
        var client = await PartnerAsync();
        var account = fixture.Simulator.Register(true, 1001, 1002, 1003);
        var ids = new List<string>();
        foreach (var company in new[] { 1001L, 1002L, 1003L })
        {
            ids.Add(await fixture.CreateWorkspaceAsync(account, "client_credentials", companyId: company, caller: client));
        }

        fixture.Simulator.State.SetFaults(new SimulatorFaults { TokenFailures = [503, 503, 503] });
        var start = await TokenRequestsAsync();
        foreach (var wait in new[] { 0, 31, 61 })
        {
            fixture.Clock.Advance(TimeSpan.FromSeconds(wait));
            foreach (var id in ids)
            {
                var response = await client.GetAsync($"/api/workspaces/{id}/token");
                Assert.Contains(response.StatusCode, new[] { HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable });
            }
        }

        var afterFailures = await TokenRequestsAsync();
        Assert.Equal(3, afterFailures.Failed - start.Failed); // nine calls over three workspaces, one shared token: three attempts
        Assert.Equal(3, afterFailures.All - start.All);
        fixture.Clock.Advance(TimeSpan.FromSeconds(121));
        Assert.All(await Task.WhenAll(ids.Select(id => client.GetAsync($"/api/workspaces/{id}/token"))), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        var shared = (await EventsAsync()).Where(e => e.GetProperty("workspaceId").ValueKind == JsonValueKind.Null && e.GetProperty("type").GetString()!.StartsWith("connection.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["connection.broken", "connection.recovered"], Types(shared));
        Assert.Equal(account.ClientId + "-cc", shared[0].GetProperty("data").GetProperty("oauthClient").GetString());
        Assert.Equal("refresh_failing", shared[0].GetProperty("data").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_dmsa_secret_procore_refuses_breaks_the_client_once_and_the_rotated_secret_recovers_it()
    {
        var client = await PartnerAsync();
        var account = fixture.Simulator.Register(true, 1001);
        var id = await fixture.CreateWorkspaceAsync(account, "client_credentials", companyId: 1001, caller: client);
        var regenerated = account with { ClientSecret = Connections.NewSecret() };
        fixture.Simulator.State.Register(regenerated); // regenerated in the Developer Portal: the stored secret is refused

        for (var i = 0; i < 3; i++)
        {
            var refused = await client.GetAsync($"/api/workspaces/{id}/token");
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal("invalid_client", (await refused.ReadJsonAsync()).GetProperty("code").GetString());
        }

        var name = account.ClientId + "-cc";
        var view = await (await client.GetAsync($"/api/oauth-clients/{name}")).ReadJsonAsync();
        Assert.Equal("invalid_client", view.GetProperty("brokenReason").GetString());

        (await client.PutAsync($"/api/oauth-clients/{name}/secret", Json.Body(new { clientSecret = regenerated.ClientSecret }))).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/workspaces/{id}/token")).StatusCode);

        var shared = (await EventsAsync()).Where(e => e.GetProperty("workspaceId").ValueKind == JsonValueKind.Null
            && e.GetProperty("data").GetProperty("oauthClient").GetString() == name).ToList();
        Assert.Equal(["connection.broken", "connection.recovered"], Types(shared));
        Assert.Equal("invalid_client", shared[0].GetProperty("data").GetProperty("reason").GetString());
        Assert.False((await (await client.GetAsync($"/api/oauth-clients/{name}")).ReadJsonAsync()).TryGetProperty("brokenReason", out var reason) && reason.ValueKind != JsonValueKind.Null);
    }
}
