using System.Net;
using ProcoreConnect.Audit;
using ProcoreConnect.Secrets;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;
using ProcoreSimulator.State;

namespace ProcoreConnect.Tests.Workspaces;

/// <summary>
/// A partner moving from another broker brings the refresh tokens it holds: each is redeemed once
/// when the connection is written, and a refused one changes nothing.
/// </summary>
public sealed class RefreshTokenImportTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    private HttpClient Client => fixture.Client;

    private WorkspaceRepository Workspaces => fixture.App.Service<WorkspaceRepository>();

    private async Task<HttpResponseMessage> PutAsync(string id, string oauthClient, string? refreshToken, object? tags = null)
    {
        var body = Connections.Valid(oauthClient).With("refreshToken", refreshToken);
        return await Client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(tags is null ? body : body.With("tags", tags)));
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty(field, out _), field);
    }

    [Fact]
    public async Task An_imported_refresh_token_is_redeemed_once_and_connects_the_new_workspace()
    {
        var app = fixture.Simulator.Register();
        var name = await fixture.CreateClientAsync(app);
        var (_, elsewhereRefresh) = fixture.Simulator.GrantElsewhere(app);
        var before = await fixture.Simulator.StatsAsync();
        var id = Connections.NewId();

        var created = await PutAsync(id, name, elsewhereRefresh);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadAsStringAsync();
        Assert.DoesNotContain(elsewhereRefresh, body, StringComparison.Ordinal);
        Assert.Equal(WorkspaceStatus.Connected, (await created.ReadAsync<ConnectionResponse>()).Status);
        Assert.Equal(1, (await fixture.Simulator.StatsAsync()).RefreshTokenGrants - before.RefreshTokenGrants);

        // Rotated at once: the partner's copy is dead, the workspace holds the new one.
        var stored = TokenSecret.Parse(await fixture.App.Service<ISecretStore>().GetAsync((await Workspaces.FindAsync(id, default))!.Tokens!, default));
        Assert.NotEqual(elsewhereRefresh, stored.RefreshToken);
        var token = await (await Client.GetAsync($"/api/workspaces/{id}/token")).ReadAsync<TokenResponse>();
        Assert.Equal(stored.AccessToken, token.AccessToken);
        Assert.NotNull(fixture.Simulator.State.Authenticate(token.AccessToken));

        // The audit names the field, never its value; the logs never hold it.
        var audit = await (await Client.GetAsync($"/api/workspaces/{id}/audit")).Content.ReadAsStringAsync();
        Assert.Contains("refreshToken", audit, StringComparison.Ordinal);
        Assert.DoesNotContain(elsewhereRefresh, audit, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.App.Logs.Lines, l => l.Contains(elsewhereRefresh, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refresh_token_procore_refuses_creates_nothing()
    {
        var app = fixture.Simulator.Register();
        var name = await fixture.CreateClientAsync(app);
        var (_, spent) = fixture.Simulator.GrantElsewhere(app);
        fixture.Simulator.State.Spend(spent); // used by the old broker after it was exported
        var id = Connections.NewId();

        await AssertRefusedAsync(await PutAsync(id, name, spent, new { customer = "c-1" }), "refreshToken");

        Assert.Null(await Workspaces.FindAsync(id, default));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/workspaces/{id}/connection")).StatusCode);
        Assert.Empty((await (await Client.GetAsync("/api/workspaces?tag.customer=c-1")).ReadAsync<WorkspaceListResponse>()).Items);
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(id, name, null)).StatusCode); // the id is free
    }

    [Fact]
    public async Task A_refused_refresh_token_leaves_an_existing_connected_workspace_as_it_was()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var before = (await Workspaces.FindAsync(id, default))!;
        var token = await (await Client.GetAsync($"/api/workspaces/{id}/token")).ReadAsync<TokenResponse>();

        await AssertRefusedAsync(await PutAsync(id, app.ClientId, "not-a-token-procore-issued", new { customer = "c-2" }), "refreshToken");

        var after = (await Workspaces.FindAsync(id, default))!;
        Assert.Equal(before.ETag, after.ETag);
        Assert.Equal(before.Tokens, after.Tokens);
        Assert.Empty(after.Tags);
        Assert.Equal(token.AccessToken, (await (await Client.GetAsync($"/api/workspaces/{id}/token")).ReadAsync<TokenResponse>()).AccessToken);
        Assert.NotNull(fixture.Simulator.State.Authenticate(token.AccessToken));
    }

    [Fact]
    public async Task A_refused_token_with_a_move_to_another_client_writes_nothing_and_keeps_the_old_grant()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var before = (await Workspaces.FindAsync(id, default))!;
        var token = await (await Client.GetAsync($"/api/workspaces/{id}/token")).ReadAsync<TokenResponse>();
        var other = await fixture.CreateClientAsync(fixture.Simulator.Register());

        await AssertRefusedAsync(await PutAsync(id, other, "not-a-token-procore-issued"), "refreshToken");

        var after = (await Workspaces.FindAsync(id, default))!;
        Assert.Equal(before.ETag, after.ETag); // redeemed before anything was written
        Assert.Equal(before.Client, after.Client);
        Assert.Equal(before.Tokens, after.Tokens);
        Assert.Equal(WorkspaceStatus.Connected, after.Status);
        Assert.Equal(token.AccessToken, (await (await Client.GetAsync($"/api/workspaces/{id}/token")).ReadAsync<TokenResponse>()).AccessToken);
        Assert.NotNull(fixture.Simulator.State.Authenticate(token.AccessToken)); // the old grant was not revoked
    }

    [Fact]
    public async Task A_move_to_another_client_with_its_refresh_token_connects_on_the_new_client_and_revokes_the_old_grant()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var old = await (await Client.GetAsync($"/api/workspaces/{id}/token")).ReadAsync<TokenResponse>();
        var otherApp = fixture.Simulator.Register();
        var other = await fixture.CreateClientAsync(otherApp);
        var (_, refresh) = fixture.Simulator.GrantElsewhere(otherApp);

        var moved = await PutAsync(id, other, refresh);

        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var view = await moved.ReadAsync<ConnectionResponse>();
        Assert.Equal((other, WorkspaceStatus.Connected), (view.OAuthClient, view.Status));
        var now = await (await Client.GetAsync($"/api/workspaces/{id}/token")).ReadAsync<TokenResponse>();
        Assert.NotEqual(old.AccessToken, now.AccessToken);
        Assert.NotNull(fixture.Simulator.State.Authenticate(now.AccessToken));
        Assert.Null(fixture.Simulator.State.Authenticate(old.AccessToken)); // the old client's grant, revoked
    }

    [Fact]
    public async Task An_import_prepared_for_a_client_the_workspace_no_longer_has_is_not_presented()
    {
        // A concurrent PUT moved the workspace between the import's read and its lease.
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var row = (await Workspaces.FindAsync(id, default))!;
        var (_, refresh) = fixture.Simulator.GrantElsewhere(app);
        var before = await fixture.Simulator.StatsAsync();

        var outcome = await fixture.App.Service<RefreshTokenImport>().ImportAsync(
            row with { Client = new ProcoreConnect.Clients.OAuthClientRef(row.Client.Owner, "another-client") }, refresh, default);

        Assert.Equal(TokenStatus.Busy, outcome.Status);
        var after = await fixture.Simulator.StatsAsync();
        Assert.Equal(before.RefreshTokenGrants + before.FailedTokenRequests, after.RefreshTokenGrants + after.FailedTokenRequests);
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(id, app.ClientId, refresh)).StatusCode); // the partner's token is still good
    }

    [Fact]
    public async Task A_write_that_lands_while_procore_redeems_the_token_does_not_cost_the_grant_nor_its_own_tags()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var otherApp = fixture.Simulator.Register();
        var other = await fixture.CreateClientAsync(otherApp);
        var (_, refresh) = fixture.Simulator.GrantElsewhere(otherApp);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var redeemed = fixture.Simulator.State.Stats().RefreshTokenGrants;
        fixture.Simulator.State.SetFaults(new SimulatorFaults { TokenAnswersHeldUntil = answer.Task });
        try
        {
            var move = PutAsync(id, other, refresh); // tags left out
            await Wait.UntilAsync(() => fixture.Simulator.State.Stats().RefreshTokenGrants > redeemed, "Procore to redeem the move's refresh token");
            Assert.Equal(HttpStatusCode.OK, (await PutAsync(id, app.ClientId, null, new { crm = "A-7" })).StatusCode); // lands first
            answer.SetResult();

            var moved = await move;

            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
            var view = await moved.ReadAsync<ConnectionResponse>();
            Assert.Equal((other, WorkspaceStatus.Connected, "A-7"), (view.OAuthClient, view.Status, view.Tags["crm"]));
        }
        finally
        {
            answer.TrySetResult();
            fixture.Simulator.State.SetFaults(new SimulatorFaults());
        }

        var token = await (await Client.GetAsync($"/api/workspaces/{id}/token")).ReadAsync<TokenResponse>();
        Assert.NotNull(fixture.Simulator.State.Authenticate(token.AccessToken));
    }

    [Fact]
    public async Task A_move_waits_for_a_refresh_in_flight_on_the_grant_it_takes_away()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var row = (await Workspaces.FindAsync(id, default))!;
        var otherApp = fixture.Simulator.Register();
        var other = await fixture.CreateClientAsync(otherApp);
        var (_, refresh) = fixture.Simulator.GrantElsewhere(otherApp);
        var leases = fixture.App.Service<RefreshLeaseStore>();
        var held = await leases.TryAcquireAsync(row.Key, "an-instance-refreshing", default); // a refresh in flight elsewhere
        Assert.NotNull(held);

        var polling = fixture.Clock.NextTimer(ProcoreFixture.LeasePoll);
        var move = PutAsync(id, other, refresh);
        await Wait.ForAsync(polling, "the move to find the lease held and start polling it");
        Assert.False(move.IsCompleted); // it waits for the lease
        Assert.Equal(row.Client, (await Workspaces.FindAsync(id, default))!.Client);

        await leases.ReleaseAsync(held!, default);
        await fixture.Clock.AdvanceUntilAsync(move, ProcoreFixture.LeasePoll, "the move");

        Assert.Equal(HttpStatusCode.OK, (await move).StatusCode);
        Assert.Equal(other, (await Workspaces.FindAsync(id, default))!.Client.Name);
    }

    [Fact]
    public async Task Importing_into_a_connected_workspace_replaces_its_grant_and_revokes_the_old_one()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var old = await (await Client.GetAsync($"/api/workspaces/{id}/token")).ReadAsync<TokenResponse>();
        var (_, refresh) = fixture.Simulator.GrantElsewhere(app);

        var updated = await PutAsync(id, app.ClientId, refresh);

        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var now = await (await Client.GetAsync($"/api/workspaces/{id}/token")).ReadAsync<TokenResponse>();
        Assert.NotEqual(old.AccessToken, now.AccessToken);
        Assert.Null(fixture.Simulator.State.Authenticate(old.AccessToken)); // revoked
        Assert.NotNull(fixture.Simulator.State.Authenticate(now.AccessToken));
    }

    [Fact]
    public async Task A_workspace_that_needs_reauthorization_is_mended_by_an_imported_token()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        fixture.Simulator.State.RevokeClient(app.ClientId);
        fixture.Clock.Advance(TimeSpan.FromMinutes(85));
        Assert.Equal(HttpStatusCode.Conflict, (await Client.GetAsync($"/api/workspaces/{id}/token")).StatusCode);

        var (_, refresh) = fixture.Simulator.GrantElsewhere(app);
        var mended = await PutAsync(id, app.ClientId, refresh);

        Assert.Equal(HttpStatusCode.OK, mended.StatusCode);
        var view = await mended.ReadAsync<ConnectionResponse>();
        Assert.Equal(WorkspaceStatus.Connected, view.Status);
        Assert.Null(view.BrokenSince);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/api/workspaces/{id}/token")).StatusCode);
    }

    [Fact]
    public async Task When_procore_fails_during_an_import_nothing_is_created_and_the_problem_says_retry()
    {
        var app = fixture.Simulator.Register();
        var name = await fixture.CreateClientAsync(app);
        var (_, refresh) = fixture.Simulator.GrantElsewhere(app);
        fixture.Simulator.State.SetFaults(new SimulatorFaults { TokenFailures = [503] });
        var id = Connections.NewId();

        var failed = await PutAsync(id, name, refresh);

        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Contains("Nothing was changed", (await failed.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Null(await Workspaces.FindAsync(id, default));
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(id, name, refresh)).StatusCode); // throttled: the token survived
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("line\nbreak")]
    public async Task A_refresh_token_of_the_wrong_shape_is_refused_before_procore_is_asked(string value)
    {
        var before = await fixture.Simulator.StatsAsync();
        var response = await PutAsync(Connections.NewId(), Connections.DefaultClient, value);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("refreshToken", out _));
        var after = await fixture.Simulator.StatsAsync();
        Assert.Equal(before.RefreshTokenGrants + before.FailedTokenRequests, after.RefreshTokenGrants + after.FailedTokenRequests);
    }

    [Fact]
    public async Task A_client_credentials_workspace_takes_no_refresh_token()
    {
        var account = fixture.Simulator.Register();
        var name = await fixture.CreateClientAsync(account, "client_credentials");
        var id = Connections.NewId();

        var response = await PutAsync(id, name, "some-refresh-token");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("refreshToken", out _));
        Assert.Null(await Workspaces.FindAsync(id, default));
    }
}
