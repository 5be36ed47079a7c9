using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Mvc.Testing;
using ProcoreConnect.ConnectLinks;
using ProcoreConnect.OAuth;
using ProcoreConnect.Storage;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Workspaces;
using ProcoreSimulator.State;

namespace ProcoreConnect.Tests.ConnectLinks;

/// <summary>Connect links in-process: creation, the page's states and headers, and the flow through the simulator.</summary>
public sealed partial class ConnectLinkTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    private HttpClient Partner => fixture.Client;

    // A person's browser: no credentials, redirects looked at one by one.
    private HttpClient Person { get; } = fixture.App.AnonymousClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    [Fact]
    public async Task A_link_is_a_long_random_url_on_the_public_base_url_valid_one_hour_by_default_audited_and_stored_only_as_a_hash()
    {
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register());
        var before = fixture.Clock.GetUtcNow();

        var (token, link) = await CreateLinkAsync(id);

        Assert.StartsWith("http://127.0.0.1:7071/api/connect/", link.Url.ToString(), StringComparison.Ordinal);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", token);
        Assert.Equal(before.AddHours(1), link.ExpiresAt);
        var (second, _) = await CreateLinkAsync(id);
        Assert.NotEqual(token, second);

        var rows = await RowsAsync(ConnectLinkStore.TableName);
        Assert.Contains(rows, r => r.RowKey == OAuthStateStore.Hash(token));
        Assert.DoesNotContain(rows, r => r.Any(p => p.Value?.ToString()?.Contains(token, StringComparison.Ordinal) == true));

        var audit = await (await Partner.GetAsync($"/api/workspaces/{id}/audit")).ReadJsonAsync();
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "connect_link.created");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(604800)]
    public async Task The_lifetime_may_be_anything_from_one_second_to_seven_days(long seconds)
    {
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register());
        var (_, link) = await CreateLinkAsync(id, new { lifetimeSeconds = seconds });
        Assert.Equal(fixture.Clock.GetUtcNow().AddSeconds(seconds), link.ExpiresAt);
    }

    [Theory]
    [InlineData("""{"lifetimeSeconds":0}""", "lifetimeSeconds")]
    [InlineData("""{"lifetimeSeconds":-60}""", "lifetimeSeconds")]
    [InlineData("""{"lifetimeSeconds":604801}""", "lifetimeSeconds")]
    [InlineData("""{"lifetimeSeconds":"3600"}""", "lifetimeSeconds")]
    [InlineData("""{"lifetimeSeconds":1.5}""", "lifetimeSeconds")]
    [InlineData("""{"returnUrl":"https://evil.example.com/done"}""", "returnUrl")]
    [InlineData("""{"returnUrl":"javascript:alert(1)"}""", "returnUrl")]
    [InlineData("""{"returnUrl":"https://partner.example.com@evil.example.com/"}""", "returnUrl")]
    [InlineData("""{"lifetime":"PT1H"}""", "lifetime")]
    [InlineData("""[1]""", "body")]
    public async Task Bad_input_is_a_400_naming_the_field_and_creates_nothing(string body, string field)
    {
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register());
        var rows = (await RowsAsync(ConnectLinkStore.TableName)).Count;

        var response = await Partner.PostAsync($"/api/workspaces/{id}/connect-links", Json.Raw(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
        Assert.Equal(rows, (await RowsAsync(ConnectLinkStore.TableName)).Count);
    }

    [Fact]
    public async Task Every_invalid_field_is_named_at_once()
    {
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register());
        var response = await Partner.PostAsync($"/api/workspaces/{id}/connect-links", Json.Body(new { returnUrl = "https://evil.example.com", lifetimeSeconds = 0 }));
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("returnUrl", out _));
        Assert.True(errors.TryGetProperty("lifetimeSeconds", out _));
    }

    [Fact]
    public async Task Only_the_callers_own_code_flow_workspaces_get_links()
    {
        var app = fixture.Simulator.Register();
        var mine = await fixture.CreateWorkspaceAsync(app);
        var dmsa = await fixture.CreateWorkspaceAsync(app, "client_credentials");
        var other = fixture.App.ClientFor("partner-b");

        Assert.Equal(HttpStatusCode.Conflict, (await Partner.PostAsync($"/api/workspaces/{dmsa}/connect-links", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Partner.PostAsync($"/api/workspaces/{Connections.NewId()}/connect-links", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/workspaces/{mine}/connect-links", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Partner.PostAsync("/api/workspaces/Not_An_Id/connect-links", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Person.PostAsync($"/api/workspaces/{mine}/connect-links", null)).StatusCode);
    }

    [Fact]
    public async Task The_link_opens_a_page_whose_button_runs_the_code_flow_once()
    {
        var app = fixture.Simulator.Register();
        var client = await CreateClientAsync(app, "Acme sync");
        var id = await CreateWorkspaceAsync(client, companyId: 1001);
        var (token, _) = await CreateLinkAsync(id);

        var page = await OpenAsync(token);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("open", StateOf(html));
        Assert.Contains("<dd id=\"company\">1001</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"environment\">Development sandbox</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"app\">Acme sync</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<form method=\"post\"><button type=\"submit\" id=\"connect\">Connect to Procore</button></form>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);

        var press = await PressAsync(token);
        Assert.Equal(HttpStatusCode.SeeOther, press.StatusCode);
        var (callback, _) = await SignInAsync(press.Headers.Location!);

        Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
        Assert.Contains("Connected to Procore", await callback.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(WorkspaceStatus.Connected, (await FindAsync(id)).Status);

        var before = await SnapshotAsync(token, id);
        foreach (var again in new[] { await OpenAsync(token), await PressAsync(token) })
        {
            Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
            Assert.Equal("used", StateOf(await again.Content.ReadAsStringAsync()));
        }

        Assert.Equal(before, await SnapshotAsync(token, id));
    }

    [Fact]
    public async Task Opening_the_page_changes_nothing()
    {
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register());
        var (token, _) = await CreateLinkAsync(id);
        var before = await SnapshotAsync(token, id);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("open", await PageStateAsync(token));
        }

        Assert.Equal(before, await SnapshotAsync(token, id));
    }

    [Fact]
    public async Task An_expired_link_shows_its_page_and_changes_nothing()
    {
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register());
        var (token, _) = await CreateLinkAsync(id, new { lifetimeSeconds = 600 });
        fixture.Clock.Advance(TimeSpan.FromSeconds(600));
        var before = await SnapshotAsync(token, id);

        var page = await OpenAsync(token);
        var press = await PressAsync(token);

        Assert.Equal(HttpStatusCode.Gone, page.StatusCode);
        Assert.Equal("expired", StateOf(await page.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Gone, press.StatusCode);
        Assert.Equal("expired", StateOf(await press.Content.ReadAsStringAsync()));
        Assert.Equal(before, await SnapshotAsync(token, id));
        Assert.Equal(WorkspaceStatus.Pending, (await FindAsync(id)).Status);
    }

    [Fact]
    public async Task A_link_dies_with_its_workspace_even_when_the_id_is_created_again()
    {
        var app = fixture.Simulator.Register();
        var client = await fixture.CreateClientAsync(app);
        var id = await CreateWorkspaceAsync(client);
        var (token, _) = await CreateLinkAsync(id);
        Assert.Equal(HttpStatusCode.NoContent, (await Partner.DeleteAsync($"/api/workspaces/{id}/connection")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Partner.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid(client)))).StatusCode);
        var before = await SnapshotAsync(token, id);

        var page = await OpenAsync(token);
        var press = await PressAsync(token);

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal("not-found", StateOf(html));
        Assert.DoesNotContain("id=\"company\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, press.StatusCode);
        Assert.Equal(before, await SnapshotAsync(token, id));
    }

    [Theory]
    [InlineData("unknown-token-0123456789abcdefghijklmnopqrstu")]
    [InlineData("x")]
    [InlineData("bad%2Ftoken")]
    [InlineData("bad.token")]
    [InlineData(null)] // 300 characters: longer than a token may be, so not even looked up
    public async Task An_unknown_or_malformed_token_shows_the_not_found_page(string? token)
    {
        var response = await OpenAsync(token ?? new string('a', 300));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not-found", StateOf(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Pages_and_the_redirect_carry_the_security_headers()
    {
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register());
        var (token, _) = await CreateLinkAsync(id);

        var page = await OpenAsync(token);
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        var style = StyleElement().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value;
        Assert.Equal(
            $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)))}'; "
            + $"form-action 'self' {fixture.Simulator.BaseUrl.GetLeftPart(UriPartial.Authority)}; frame-ancestors 'none'; base-uri 'none'",
            csp);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);

        var press = await PressAsync(token);
        var notFound = await Person.GetAsync("/api/connect/nothing-here");
        var callback = await Person.GetAsync("/api/oauth/callback?state=forged&code=x");
        foreach (var response in new[] { page, press, notFound, callback })
        {
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.True(response.Headers.CacheControl!.NoStore);
            Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        }

        // Pages without a form allow no form to post anywhere.
        Assert.Contains("form-action 'none'", notFound.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Names_are_html_encoded()
    {
        // < and > are refused when a name is set (DisplayText), so the page's own encoding is shown with & and ".
        var client = await CreateClientAsync(fixture.Simulator.Register(), "Smith & \"Sons\" Co");
        var id = await CreateWorkspaceAsync(client);
        var (token, _) = await CreateLinkAsync(id);

        var html = await PageAsync(token);

        Assert.Contains("Smith &amp; &quot;Sons&quot; Co", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Smith & \"Sons\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_denied_sign_in_connects_nothing_and_the_link_works_again_within_its_lifetime()
    {
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register());
        var (token, link) = await CreateLinkAsync(id);

        var press = await PressAsync(token);
        var (denied, _) = await SignInAsync(press.Headers.Location!, "deny");

        Assert.Equal(HttpStatusCode.BadRequest, denied.StatusCode);
        var text = await denied.Content.ReadAsStringAsync();
        Assert.Contains("Access was denied in Procore", text, StringComparison.Ordinal);
        Assert.Contains($"open the link you were sent once more (it works until {link.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC)", text, StringComparison.Ordinal);
        Assert.Equal(WorkspaceStatus.Pending, (await FindAsync(id)).Status);

        var page = await PageAsync(token);
        Assert.Equal("open", StateOf(page));
        Assert.Contains("data-outcome=\"denied\"", page, StringComparison.Ordinal);
        Assert.Contains("Access was denied in Procore on the last try", page, StringComparison.Ordinal);

        var again = await PressAsync(token);
        var (connected, _) = await SignInAsync(again.Headers.Location!);
        Assert.Equal(HttpStatusCode.OK, connected.StatusCode);
        Assert.Equal(WorkspaceStatus.Connected, (await FindAsync(id)).Status);
        Assert.Equal("used", await PageStateAsync(token));
    }

    [Fact]
    public async Task A_failed_exchange_frees_the_link_and_says_so()
    {
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register());
        var (token, _) = await CreateLinkAsync(id);
        var press = await PressAsync(token);
        fixture.Simulator.State.SetFaults(new SimulatorFaults { TokenFailures = [500] });

        var (failed, _) = await SignInAsync(press.Headers.Location!);

        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        var page = await PageAsync(token);
        Assert.Equal("open", StateOf(page));
        Assert.Contains("data-outcome=\"failed\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_press_replaces_an_unfinished_sign_in_which_then_cannot_finish()
    {
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register());
        var (token, _) = await CreateLinkAsync(id);
        var first = await PressAsync(token);
        Assert.Equal(HttpStatusCode.SeeOther, first.StatusCode);

        // Back from Procore's sign-in page: the page says a sign-in is under way and offers to start over.
        var page = await PageAsync(token);
        Assert.Equal("in-progress", StateOf(page));
        Assert.Contains(">Start over</button>", page, StringComparison.Ordinal);
        var second = await PressAsync(token);
        Assert.Equal(HttpStatusCode.SeeOther, second.StatusCode);

        var before = await SnapshotAsync(token, id);
        var (stale, _) = await SignInAsync(first.Headers.Location!);
        Assert.Equal(HttpStatusCode.BadRequest, stale.StatusCode);
        Assert.Contains("or Connect was pressed on it again. Nothing was changed.", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before with { States = before.States - 1 }, await SnapshotAsync(token, id));

        var (connected, _) = await SignInAsync(second.Headers.Location!);
        Assert.Equal(HttpStatusCode.OK, connected.StatusCode);
        Assert.Equal(WorkspaceStatus.Connected, (await FindAsync(id)).Status);
    }

    [Fact]
    public async Task Only_the_sign_in_holding_the_link_uses_it_up_and_a_failed_exchange_frees_it_again()
    {
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register());
        var (token, _) = await CreateLinkAsync(id);
        var (store, flow, linkId) = (fixture.App.Service<ConnectLinkStore>(), fixture.App.Service<ConnectFlow>(), ConnectLinkStore.IdOf(token)!);
        var target = await flow.FindAsync(new WorkspaceRef(AppFactory.DefaultPartner, id), key: null, default);
        var expires = (await store.FindAsync(linkId, default))!.ExpiresAt;
        var (first, second) = (flow.NewState(target, null, linkId, expires).State, flow.NewState(target, null, linkId, expires).State);
        var now = fixture.Clock.GetUtcNow();
        Assert.True(await store.ClaimAsync((await store.FindAsync(linkId, default))!, first, default));

        // Start over is pressed while the first sign-in's callback is between its check and the exchange.
        var claimedByFirst = (await store.FindAsync(linkId, default))!;
        Assert.True(await store.ClaimAsync(claimedByFirst, second, default));
        Assert.Null(await store.UseAsync(linkId, first, now, default));
        Assert.Null(await store.ReleaseAsync(linkId, first, ConnectLinkOutcome.Failed, default));

        var used = await store.UseAsync(linkId, second, now, default);
        Assert.Equal(ConnectLinkStatus.Used, used!.StatusAt(now));
        Assert.False(await store.ClaimAsync(claimedByFirst, first, default));
        Assert.Equal("used", await PageStateAsync(token));

        // The exchange failed after all: the link is free for another try.
        var released = await store.ReleaseAsync(linkId, second, ConnectLinkOutcome.Failed, default);
        Assert.Equal(ConnectLinkStatus.Open, released!.StatusAt(now));
        Assert.Equal("open", await PageStateAsync(token));
    }

    [Fact]
    public async Task A_sign_in_abandoned_at_procore_leaves_the_link_open_once_its_state_expires()
    {
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register());
        var (token, _) = await CreateLinkAsync(id, new { lifetimeSeconds = 3 * 3600 });
        var abandoned = await PressAsync(token);

        fixture.Clock.Advance(TimeSpan.FromMinutes(11));

        Assert.Equal("open", await PageStateAsync(token));
        var (late, _) = await SignInAsync(abandoned.Headers.Location!);
        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
        Assert.Equal(WorkspaceStatus.Pending, (await FindAsync(id)).Status);
    }

    [Fact]
    public async Task Of_many_presses_at_once_only_one_sign_in_can_connect()
    {
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register());
        var (token, _) = await CreateLinkAsync(id);

        var presses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PressAsync(token)));
        var started = presses.Where(p => p.StatusCode == HttpStatusCode.SeeOther).ToList();
        Assert.NotEmpty(started);
        foreach (var page in presses.Except(started))
        {
            Assert.Equal("in-progress", StateOf(await page.Content.ReadAsStringAsync()));
        }

        var grants = (await fixture.Simulator.StatsAsync()).AuthorizationCodeGrants;
        var callbacks = new List<HttpStatusCode>();
        foreach (var press in started)
        {
            callbacks.Add((await SignInAsync(press.Headers.Location!)).Callback.StatusCode);
        }

        Assert.Equal(1, callbacks.Count(c => c == HttpStatusCode.OK));
        Assert.Equal(WorkspaceStatus.Connected, (await FindAsync(id)).Status);
        Assert.Equal(grants + 1, (await fixture.Simulator.StatsAsync()).AuthorizationCodeGrants);
    }

    [Fact]
    public async Task A_connected_workspace_shows_already_connected_and_the_link_changes_nothing()
    {
        var id = await fixture.ConnectedWorkspaceAsync(fixture.Simulator.Register());
        var (token, _) = await CreateLinkAsync(id);
        var before = await SnapshotAsync(token, id);

        var page = await OpenAsync(token);
        var press = await PressAsync(token);

        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("already-connected", StateOf(html));
        Assert.DoesNotContain("<form", html, StringComparison.Ordinal);
        Assert.Equal("already-connected", StateOf(await press.Content.ReadAsStringAsync()));
        Assert.Equal(before, await SnapshotAsync(token, id));
    }

    [Fact]
    public async Task The_flow_ends_at_the_links_return_url()
    {
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register());
        var (token, _) = await CreateLinkAsync(id, new { returnUrl = "https://partner.example.com/done?tab=procore" });

        var press = await PressAsync(token);
        var (callback, _) = await SignInAsync(press.Headers.Location!);

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal($"https://partner.example.com/done?tab=procore&workspaceId={id}&status=connected", callback.Headers.Location!.ToString());
    }

    [Fact]
    public async Task The_token_never_reaches_the_logs()
    {
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register());
        var (token, _) = await CreateLinkAsync(id);
        await OpenAsync(token);
        var press = await PressAsync(token);
        await SignInAsync(press.Headers.Location!);
        await PressAsync(token);

        Assert.DoesNotContain(fixture.App.Logs.Lines, l => l.Contains(token, StringComparison.Ordinal));
        Assert.Contains(fixture.App.Logs.Lines, l => l.Contains("Refused POST /api/connect/{token} for anonymous: 410", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_purge_timer_deletes_links_a_month_past_their_expiry_and_keeps_the_others()
    {
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register());
        var (old, _) = await CreateLinkAsync(id, new { lifetimeSeconds = 60 });
        fixture.Clock.Advance(ConnectLinkStore.KeptAfterExpiry + TimeSpan.FromMinutes(2));
        var (recent, _) = await CreateLinkAsync(id, new { lifetimeSeconds = 60 });
        fixture.Clock.Advance(TimeSpan.FromMinutes(5));

        await ProcoreConnect.WorkspaceConnections.PurgeDeletedWorkspaces.RunAsync(fixture.App.Services, default);

        var store = fixture.App.Service<ConnectLinkStore>();
        Assert.Null(await store.FindAsync(ConnectLinkStore.IdOf(old)!, default));
        Assert.NotNull(await store.FindAsync(ConnectLinkStore.IdOf(recent)!, default));
        Assert.Equal("expired", await PageStateAsync(recent));
        Assert.Equal("not-found", await PageStateAsync(old));
    }

    private static string PathOf(string token) => "/api/connect/" + token;

    // The Connect button: a form post with no fields, as a browser sends it.
    private Task<HttpResponseMessage> PressAsync(string token) => Person.PostAsync(PathOf(token), new FormUrlEncodedContent([]));

    private Task<HttpResponseMessage> OpenAsync(string token) => Person.GetAsync(PathOf(token));

    private async Task<string> PageAsync(string token) => await (await OpenAsync(token)).Content.ReadAsStringAsync();

    private async Task<string?> PageStateAsync(string token) => StateOf(await PageAsync(token));

    private static string? StateOf(string html) => DataState().Match(html) is { Success: true } m ? m.Groups[1].Value : null;

    private Task<(HttpResponseMessage Callback, Uri CallbackUrl)> SignInAsync(Uri authorize, string decision = "allow") =>
        new Browser(Person, fixture.Simulator.BaseUrl).SignInAsync(authorize, decision);

    private async Task<(string Token, ConnectLinkResponse Link)> CreateLinkAsync(string id, object? body = null)
    {
        var response = await Partner.PostAsync($"/api/workspaces/{id}/connect-links", body is null ? null : Json.Body(body));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var link = await response.ReadAsync<ConnectLinkResponse>();
        return (link.Url.Segments[^1], link);
    }

    private async Task<string> CreateClientAsync(SimulatedClient app, string displayName)
    {
        var name = Connections.NewClientName();
        var body = Connections.Client(app.ClientSecret, clientId: app.ClientId).Without("redirectUri").With("displayName", displayName);
        Assert.Equal(HttpStatusCode.Created, (await Partner.PutAsync($"/api/oauth-clients/{name}", Json.Body(body))).StatusCode);
        return name;
    }

    private async Task<string> CreateWorkspaceAsync(string client, long companyId = 1001)
    {
        var id = Connections.NewId();
        var response = await Partner.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid(client).With("companyId", companyId)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return id;
    }

    private async Task<Workspace> FindAsync(string id) => (await fixture.App.Service<WorkspaceRepository>().FindAsync(id, default))!;

    // Everything a link's use could change: the link, the workspace, the pending states, Procore's grants.
    private async Task<Snapshot> SnapshotAsync(string token, string id)
    {
        var link = await fixture.App.Service<ConnectLinkStore>().FindAsync(ConnectLinkStore.IdOf(token)!, default);
        var workspace = await fixture.App.Service<WorkspaceRepository>().FindAsync(id, default);
        return new Snapshot(
            link?.ETag.ToString(),
            workspace?.ETag.ToString(),
            (await RowsAsync(OAuthStateStore.TableName)).Count,
            (await fixture.Simulator.StatsAsync()).AuthorizationCodeGrants);
    }

    private async Task<List<TableEntity>> RowsAsync(string table)
    {
        var client = await fixture.App.Service<TableStore>().GetAsync(table, default);
        var rows = new List<TableEntity>();
        await foreach (var row in client.QueryAsync<TableEntity>())
        {
            rows.Add(row);
        }

        return rows;
    }

    private sealed record Snapshot(string? Link, string? Workspace, int States, int Grants);

    [GeneratedRegex("<h1 data-state=\"([a-z-]+)\">")]
    private static partial Regex DataState();

    [GeneratedRegex("<style>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StyleElement();
}
