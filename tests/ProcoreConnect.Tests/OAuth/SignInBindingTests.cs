using System.Net;
using Microsoft.AspNetCore.WebUtilities;
using ProcoreConnect.OAuth;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tests.OAuth;

/// <summary>
/// Every sign-in starts on this service's page and finishes only in the browser that started it
/// (RFC 9700 §2.1, §4.7): a cookie bound to the state, and PKCE on by default.
/// </summary>
public sealed class SignInBindingTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    private async Task<WorkspaceStatus> StatusAsync(string id) => (await fixture.App.Service<WorkspaceRepository>().FindAsync(id, default))!.Status;

    private static string StateOf(Uri url) => QueryHelpers.ParseQuery(url.Query)["state"].ToString();

    [Fact]
    public async Task Connect_answers_a_fresh_connect_links_page_not_procore()
    {
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register());

        var connect = await fixture.Client.GetAsync($"/api/workspaces/{id}/connect");

        Assert.Equal(HttpStatusCode.Redirect, connect.StatusCode);
        Assert.StartsWith("http://127.0.0.1:7071/api/connect/", connect.Headers.Location!.ToString(), StringComparison.Ordinal);
        var page = await fixture.App.AnonymousClient().GetAsync(connect.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("data-state=\"open\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pressing_connect_sets_an_http_only_lax_cookie_named_after_the_sign_in()
    {
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register());
        var browser = fixture.Browser();

        var authorize = await browser.StartAsync(id);

        var (name, value) = Assert.Single(browser.Cookies);
        Assert.Equal(SignInCookie.NameFor(StateOf(authorize), secure: false), name);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", value);
        var rows = await fixture.App.Service<OAuthStateStore>().FindAsync(StateOf(authorize), default);
        Assert.Equal(SignInCookie.Hash(value), rows!.BrowserBinding);
    }

    [Fact]
    public async Task A_callback_in_another_browser_exchanges_nothing_and_ends_that_sign_in()
    {
        // A partner starts a sign-in and has a person finish it at Procore in the person's own browser.
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register());
        var partner = fixture.Browser();
        var person = fixture.Browser();
        var callback = await person.ProcoreRedirectAsync(await partner.StartAsync(id));
        var grants = (await fixture.Simulator.StatsAsync()).AuthorizationCodeGrants;

        var elsewhere = await person.OpenAsync(callback);

        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
        Assert.Contains("in this browser", await elsewhere.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(WorkspaceStatus.Pending, await StatusAsync(id));

        // The partner's own browser cannot finish it with the person's code either.
        var replayed = await partner.OpenAsync(callback);
        Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);
        Assert.Equal(grants, (await fixture.Simulator.StatsAsync()).AuthorizationCodeGrants);
        Assert.Equal(WorkspaceStatus.Pending, await StatusAsync(id));
    }

    [Fact]
    public async Task A_callback_without_code_or_error_in_another_browser_leaves_the_sign_in_to_its_own()
    {
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register());
        var browser = fixture.Browser();
        var callback = await browser.ProcoreRedirectAsync(await browser.StartAsync(id));

        var probe = await fixture.Browser().OpenAsync(new Uri($"/api/oauth/callback?state={Uri.EscapeDataString(StateOf(callback))}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, probe.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.OpenAsync(callback)).StatusCode);
        Assert.Equal(WorkspaceStatus.Connected, await StatusAsync(id));
    }

    [Theory]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    [InlineData("Origin", "https://evil.example")]
    [InlineData("Origin", "null")]
    public async Task A_connect_press_another_site_posted_is_refused_and_writes_nothing(string header, string value)
    {
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register());
        var link = await (await fixture.Client.PostAsync($"/api/workspaces/{id}/connect-links", null)).ReadAsync<ProcoreConnect.ConnectLinks.ConnectLinkResponse>();
        var person = fixture.App.AnonymousClient(ProcoreFixture.NoRedirectsNoCookies);
        using var forged = new HttpRequestMessage(HttpMethod.Post, link.Url.PathAndQuery) { Content = new FormUrlEncodedContent([]) };
        forged.Headers.Add(header, value);

        var response = await person.SendAsync(forged);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        var stored = await fixture.App.Service<ProcoreConnect.ConnectLinks.ConnectLinkStore>().FindAsync(ProcoreConnect.ConnectLinks.ConnectLinkStore.IdOf(link.Url.Segments[^1])!, default);
        Assert.Null(stored!.ClaimedBy);

        // The link's own page posts from the same origin.
        using var own = new HttpRequestMessage(HttpMethod.Post, link.Url.PathAndQuery) { Content = new FormUrlEncodedContent([]) };
        own.Headers.Add("Sec-Fetch-Site", "same-origin");
        own.Headers.Add("Origin", "http://127.0.0.1:7071");
        Assert.Equal(HttpStatusCode.SeeOther, (await person.SendAsync(own)).StatusCode);
    }

    [Fact]
    public async Task A_cookie_of_another_sign_in_does_not_count()
    {
        var app = fixture.Simulator.Register();
        var (mine, other) = (await fixture.CreateWorkspaceAsync(app), await fixture.CreateWorkspaceAsync(app));
        var browser = fixture.Browser();
        var callback = await browser.ProcoreRedirectAsync(await browser.StartAsync(mine));
        var thief = fixture.Browser();
        await thief.StartAsync(other);
        var stolen = thief.Cookies.Single();

        // The thief's browser holds a sign-in cookie of its own, under another name, and a copy of this one's value.
        using var request = new HttpRequestMessage(HttpMethod.Get, callback.PathAndQuery);
        request.Headers.Add("Cookie", $"{stolen.Key}={stolen.Value}; {SignInCookie.NameFor(StateOf(callback), false)}={stolen.Value}");
        var response = await fixture.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(WorkspaceStatus.Pending, await StatusAsync(mine));
    }

    [Fact]
    public async Task A_code_from_one_sign_in_does_not_finish_another_even_in_the_browser_that_started_that_one()
    {
        // B's customer signs in for B's workspace; A takes the code from that sign-in and brings it,
        // with A's own state and cookie, to the callback.
        var app = fixture.Simulator.Register();
        var (victim, attacker) = (await fixture.CreateWorkspaceAsync(app), await fixture.CreateWorkspaceAsync(app));
        var customer = fixture.Browser();
        var stolenCode = QueryHelpers.ParseQuery((await customer.ProcoreRedirectAsync(await customer.StartAsync(victim))).Query)["code"].ToString();
        var a = fixture.Browser();
        var aState = StateOf(await a.StartAsync(attacker));

        var response = await a.OpenAsync(new Uri($"/api/oauth/callback?state={Uri.EscapeDataString(aState)}&code={stolenCode}", UriKind.Relative));

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(WorkspaceStatus.Pending, await StatusAsync(attacker));
        Assert.Null((await fixture.App.Service<WorkspaceRepository>().FindAsync(attacker, default))!.Tokens);
    }

    [Fact]
    public async Task A_sign_in_from_a_link_must_finish_before_the_link_expires()
    {
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register());
        var link = await (await fixture.Client.PostAsync($"/api/workspaces/{id}/connect-links", Json.Raw("""{"lifetimeSeconds":120}"""))).ReadAsync<ProcoreConnect.ConnectLinks.ConnectLinkResponse>();
        var browser = fixture.Browser();
        var callback = await browser.ProcoreRedirectAsync(await browser.PressAsync(link.Url));

        fixture.Clock.Advance(TimeSpan.FromMinutes(3)); // the sign-in's own 10 minutes are not over

        var late = await browser.OpenAsync(callback);
        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
        Assert.Equal(WorkspaceStatus.Pending, await StatusAsync(id));
    }

    [Fact]
    public async Task Procores_error_text_reaches_the_log_bounded_and_without_control_characters()
    {
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register());
        var browser = fixture.Browser();
        var state = StateOf(await browser.StartAsync(id));
        var forged = "access_denied\r\n2099-01-01 INFO Workspace admin connected" + new string('x', 500);

        await browser.OpenAsync(new Uri($"/api/oauth/callback?state={Uri.EscapeDataString(state)}&error={Uri.EscapeDataString(forged)}&error_description={Uri.EscapeDataString("\u001b[31mred")}", UriKind.Relative));

        var line = Assert.Single(fixture.App.Logs.Lines, l => l.Contains($"workspace {id} carried no code", StringComparison.Ordinal));
        Assert.DoesNotContain("\n", line.Split("carried no code")[1], StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", line, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('x', CallbackParameters.MaxLoggedLength + 1), line, StringComparison.Ordinal);
    }
}

/// <summary>Over https the sign-in cookie is Secure and <c>__Host-</c> prefixed.</summary>
public sealed class SecureSignInCookieTests(SecureSignInCookieTests.HttpsFixture fixture) : IClassFixture<SecureSignInCookieTests.HttpsFixture>
{
    public sealed class HttpsFixture : ProcoreFixture
    {
        protected override IDictionary<string, string?> ExtraSettings
        {
            get
            {
                var settings = base.ExtraSettings;
                settings["Service:PublicBaseUrl"] = "https://connect.example.com";
                return settings;
            }
        }
    }

    [Fact]
    public async Task The_cookie_is_host_prefixed_secure_http_only_and_lax()
    {
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register());
        var link = (await fixture.Client.GetAsync($"/api/workspaces/{id}/connect")).Headers.Location!;
        Assert.Equal("https", link.Scheme);

        var press = await fixture.App.AnonymousClient(ProcoreFixture.NoRedirectsNoCookies).PostAsync(link.PathAndQuery, new FormUrlEncodedContent([]));

        var cookie = Assert.Single(press.Headers.GetValues("Set-Cookie"));
        var state = QueryHelpers.ParseQuery(press.Headers.Location!.Query)["state"].ToString();
        Assert.StartsWith(SignInCookie.NameFor(state, secure: true) + "=", cookie, StringComparison.Ordinal);
        Assert.StartsWith("__Host-", cookie, StringComparison.Ordinal);
        foreach (var attribute in new[] { "secure", "httponly", "samesite=lax", "path=/" })
        {
            Assert.Contains(attribute, cookie.ToLowerInvariant().Split("; "));
        }

        Assert.DoesNotContain("domain=", cookie, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>PKCE can be turned off in one environment, should Procore ever refuse it there.</summary>
public sealed class PkceOffTests(PkceOffTests.SandboxWithoutPkce fixture) : IClassFixture<PkceOffTests.SandboxWithoutPkce>
{
    public sealed class SandboxWithoutPkce : ProcoreFixture
    {
        protected override IDictionary<string, string?> ExtraSettings
        {
            get
            {
                var settings = base.ExtraSettings;
                settings["OAuth:PkceOffIn:0"] = "sandbox";
                return settings;
            }
        }
    }

    [Fact]
    public async Task The_environment_named_gets_no_challenge_and_the_others_do()
    {
        var app = fixture.Simulator.Register();
        var sandbox = await fixture.CreateWorkspaceAsync(app);
        var production = await fixture.CreateWorkspaceAsync(app, environment: "production");

        Assert.False(QueryHelpers.ParseQuery((await fixture.Browser().StartAsync(sandbox)).Query).ContainsKey("code_challenge"));
        Assert.True(QueryHelpers.ParseQuery((await fixture.Browser().StartAsync(production)).Query).ContainsKey("code_challenge"));
        Assert.Equal(HttpStatusCode.OK, (await fixture.Browser().ConnectAsync(sandbox)).Callback.StatusCode);
    }

    [Fact]
    public void An_unknown_environment_stops_the_app_at_start() =>
        Assert.Contains("'staging' is not an environment", AppFactory.StartFailure("OAuth:PkceOffIn:0", "staging"), StringComparison.Ordinal);
}
