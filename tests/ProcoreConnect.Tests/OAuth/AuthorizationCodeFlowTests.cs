using System.Net;
using ProcoreConnect.OAuth;
using ProcoreConnect.Secrets;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Tokens;
using ProcoreConnect.Validation;
using ProcoreConnect.Workspaces;
using ProcoreSimulator.State;

namespace ProcoreConnect.Tests.OAuth;

public sealed class AuthorizationCodeFlowTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task A_browser_connects_a_workspace_and_ends_with_a_usable_token()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.CreateWorkspaceAsync(app);

        var (callback, callbackUrl) = await fixture.Browser().ConnectAsync(id);

        Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
        Assert.Equal("text/html", callback.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Connected to Procore", await callback.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("/api/oauth/callback", callbackUrl.AbsolutePath);
        var workspace = await Client.GetAsync($"/api/workspaces/{id}/connection");
        Assert.Equal(WorkspaceStatus.Connected, (await workspace.ReadAsync<ConnectionResponse>()).Status);

        var token = await (await Client.GetAsync($"/api/workspaces/{id}/token")).ReadAsync<TokenResponse>();
        Assert.Equal(1001, token.CompanyId);
        Assert.Equal(fixture.Simulator.BaseUrl, token.ApiBaseUrl);
        using var me = new HttpRequestMessage(HttpMethod.Get, "/rest/v1.0/me");
        me.Headers.Authorization = new("Bearer", token.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Simulator.Http.SendAsync(me)).StatusCode);
    }

    [Fact]
    public async Task Tokens_and_client_secrets_never_reach_the_logs_or_the_connection_api()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        fixture.Clock.Advance(TimeSpan.FromMinutes(85));
        var token = await (await Client.GetAsync($"/api/workspaces/{id}/token")).ReadAsync<TokenResponse>();
        var workspace = (await fixture.App.Service<WorkspaceRepository>().FindAsync(id, default))!;
        var refresh = TokenSecret.Parse(await fixture.App.Service<ISecretStore>().GetAsync(workspace.Tokens!, default)).RefreshToken!;
        var connection = await (await Client.GetAsync($"/api/workspaces/{id}/connection")).Content.ReadAsStringAsync();

        foreach (var secret in new[] { token.AccessToken, refresh, app.ClientSecret })
        {
            Assert.DoesNotContain(fixture.App.Logs.Lines, l => l.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(secret, connection, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_state_is_random_and_the_authorize_request_is_well_formed_with_a_pkce_challenge()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.CreateWorkspaceAsync(app);
        var first = await fixture.Browser().StartAsync(id);
        var second = await fixture.Browser().StartAsync(id);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(first.Query);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal(app.ClientId, query["client_id"]);
        Assert.Equal("http://127.0.0.1:7071/api/oauth/callback", query["redirect_uri"]);
        Assert.True(query["state"].ToString().Length >= 43);
        Assert.NotEqual(query["state"], Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(second.Query)["state"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(43, query["code_challenge"].ToString().Length);
    }

    [Fact]
    public async Task A_replayed_state_is_refused_and_changes_nothing()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.CreateWorkspaceAsync(app);
        var (_, callbackUrl) = await fixture.Browser().ConnectAsync(id);
        var before = await Client.GetAsync($"/api/workspaces/{id}/connection");
        var grantsBefore = (await fixture.Simulator.StatsAsync()).AuthorizationCodeGrants;

        var replay = await Client.GetAsync(callbackUrl.PathAndQuery);

        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Contains("no longer valid", await replay.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before.Headers.ETag, (await Client.GetAsync($"/api/workspaces/{id}/connection")).Headers.ETag);
        Assert.Equal(grantsBefore, (await fixture.Simulator.StatsAsync()).AuthorizationCodeGrants);
    }

    [Theory]
    [InlineData("?state=made-up-state&code=abc")]
    [InlineData("?code=abc")]
    [InlineData("?state=&code=abc")]
    public async Task Unknown_or_missing_states_are_refused(string query)
    {
        var response = await Client.GetAsync("/api/oauth/callback" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("no longer valid", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_state_is_refused()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.CreateWorkspaceAsync(app);
        var browser = fixture.Browser();
        var authorize = await browser.StartAsync(id);
        var state = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(authorize.Query)["state"].ToString();
        fixture.Clock.Advance(TimeSpan.FromMinutes(11));

        var response = await browser.OpenAsync(new Uri($"/api/oauth/callback?state={Uri.EscapeDataString(state)}&code=whatever", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(WorkspaceStatus.Pending, (await (await Client.GetAsync($"/api/workspaces/{id}/connection")).ReadAsync<ConnectionResponse>()).Status);
    }

    [Fact]
    public async Task A_state_issued_for_one_workspace_connects_only_that_workspace()
    {
        var app = fixture.Simulator.Register();
        var mine = await fixture.CreateWorkspaceAsync(app);
        var other = await fixture.CreateWorkspaceAsync(app);

        var (callback, _) = await fixture.Browser().ConnectAsync(mine);

        Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
        Assert.Equal(WorkspaceStatus.Connected, (await (await Client.GetAsync($"/api/workspaces/{mine}/connection")).ReadAsync<ConnectionResponse>()).Status);
        Assert.Equal(WorkspaceStatus.Pending, (await (await Client.GetAsync($"/api/workspaces/{other}/connection")).ReadAsync<ConnectionResponse>()).Status);
    }

    [Fact]
    public async Task Access_denied_connects_nothing_and_says_why()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.CreateWorkspaceAsync(app);
        var (callback, _) = await fixture.Browser().ConnectAsync(id, decision: "deny");
        Assert.Equal(HttpStatusCode.BadRequest, callback.StatusCode);
        Assert.Contains("Access was denied", await callback.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(WorkspaceStatus.Pending, (await (await Client.GetAsync($"/api/workspaces/{id}/connection")).ReadAsync<ConnectionResponse>()).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await Client.GetAsync($"/api/workspaces/{id}/token")).StatusCode);
    }

    [Fact]
    public async Task A_token_endpoint_error_during_the_exchange_connects_nothing()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.CreateWorkspaceAsync(app);
        fixture.Simulator.State.SetFaults(new SimulatorFaults { TokenFailures = [500] });
        var (callback, _) = await fixture.Browser().ConnectAsync(id);
        Assert.Equal(HttpStatusCode.BadGateway, callback.StatusCode);
        Assert.Contains("Not connected", await callback.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var workspace = (await fixture.App.Service<WorkspaceRepository>().FindAsync(id, default))!;
        Assert.Equal(WorkspaceStatus.Pending, workspace.Status);
        Assert.Null(workspace.Tokens);
    }

    [Fact]
    public async Task The_callback_redirects_only_to_allowed_return_urls()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.CreateWorkspaceAsync(app);
        foreach (var evil in new[] { "https://evil.example.com/x", "//evil.example.com", "javascript:alert(1)", "https://partner.example.com@evil.example.com/" })
        {
            var refused = await Client.GetAsync($"/api/workspaces/{id}/connect?returnUrl={Uri.EscapeDataString(evil)}");
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.True((await refused.ReadJsonAsync()).GetProperty("errors").TryGetProperty("returnUrl", out _));
        }

        var (callback, _) = await fixture.Browser().ConnectAsync(id, returnUrl: "https://partner.example.com/done");
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal($"https://partner.example.com/done?workspaceId={id}&status=connected", callback.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Client_credentials_workspaces_cannot_start_the_browser_flow()
    {
        var account = fixture.Simulator.Register();
        var id = await fixture.CreateWorkspaceAsync(account, "client_credentials");
        Assert.Equal(HttpStatusCode.Conflict, (await Client.GetAsync($"/api/workspaces/{id}/connect")).StatusCode);
    }

    [Fact]
    public async Task Connecting_validates_the_connection_with_the_company_header()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.ConnectedWorkspaceAsync(app);
        var report = await (await Client.PostAsync($"/api/workspaces/{id}/validate", null)).ReadAsync<ValidationReport>();
        Assert.True(report.Ok);
        Assert.True(report.CompanyVisible);
        Assert.Equal(["token", "me", "companies", "company"], report.Checks.Select(c => c.Name));
        Assert.Equal("1001", (await fixture.Simulator.StatsAsync()).LastCompanyIdHeader);
    }
}

public sealed class PkceFlowTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    [Fact]
    public async Task By_default_the_challenge_is_sent_and_the_verifier_accepted()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.CreateWorkspaceAsync(app);
        var browser = fixture.Browser();
        var authorize = await browser.StartAsync(id);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(authorize.Query);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(43, query["code_challenge"].ToString().Length);

        var (callback, _) = await browser.SignInAsync(authorize);
        Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
    }

    [Fact]
    public void The_challenge_is_the_rfc7636_s256_of_the_verifier() =>
        // RFC 7636, appendix B.
        Assert.Equal("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", Pkce.Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
}
