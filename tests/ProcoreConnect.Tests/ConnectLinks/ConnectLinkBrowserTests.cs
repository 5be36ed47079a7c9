using System.Net;
using OpenQA.Selenium;
using ProcoreConnect.ConnectLinks;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Workspaces;
using Xunit.Abstractions;

namespace ProcoreConnect.Tests.ConnectLinks;

/// <summary>
/// A person with a connect link, in a real browser (headless Chromium, JavaScript off): the link,
/// its page, the simulator's Procore sign-in, the callback page. The app listens on Kestrel and
/// the simulator on loopback; screenshots go to <see cref="HeadlessChromium.ScreenshotFolder"/>.
/// </summary>
[Slow(SlowKind.Browser)]
public sealed class ConnectLinkBrowserTests(KestrelAppFixture fixture, ITestOutputHelper output) : IClassFixture<KestrelAppFixture>
{
    private const string AppName = "Acme sync (code flow)";

    [Fact]
    public async Task A_person_connects_a_workspace_through_the_link_and_a_second_visit_shows_it_used()
    {
        var (id, link) = await WorkspaceWithLinkAsync();
        using var browser = HeadlessChromium.Start();

        browser.Open(link.Url);
        Assert.Equal("Connect to Procore", browser.TextOf(By.TagName("h1")));
        Assert.Equal("1001", browser.TextOf(By.Id("company")));
        Assert.Equal("Development sandbox", browser.TextOf(By.Id("environment")));
        Assert.Equal(AppName, browser.TextOf(By.Id("app")));
        Assert.Contains("This link works until", browser.Text, StringComparison.Ordinal);
        // The inline style is allowed by its hash: had the CSP refused it, the button would be unstyled.
        Assert.Equal("rgba(196, 84, 27, 1)", browser.Driver.FindElement(By.Id("connect")).GetCssValue("background-color"));
        Screenshot(browser, "connect-link-page");

        browser.ClickAndWait(By.Id("connect"));
        Assert.Equal(fixture.Simulator.BaseUrl.Authority, browser.Url.Authority);
        Assert.Contains("Procore simulator", browser.Text, StringComparison.Ordinal);
        Screenshot(browser, "connect-link-procore-sign-in");

        browser.ClickAndWait(By.CssSelector("button[value=allow]"));
        Assert.Equal(fixture.BaseAddress.Authority, browser.Url.Authority);
        Assert.Equal("/api/oauth/callback", browser.Url.AbsolutePath);
        Assert.Equal("Connected to Procore", browser.TextOf(By.TagName("h1")));
        Assert.Contains("Company 1001 (Procore company 1001) is reachable. You can close this window.", browser.Text, StringComparison.Ordinal);
        Screenshot(browser, "connect-link-connected");
        Assert.Equal(WorkspaceStatus.Connected, (await WorkspaceAsync(id)).Status);

        var before = await WorkspaceAsync(id);
        browser.Open(link.Url);
        Assert.Equal("Link already used", browser.TextOf(By.TagName("h1")));
        Assert.Empty(browser.Driver.FindElements(By.TagName("form")));
        Screenshot(browser, "connect-link-used");
        Assert.Equal(before.ETag, (await WorkspaceAsync(id)).ETag);
    }

    [Fact]
    public async Task A_denied_sign_in_says_so_and_leaves_the_link_usable_while_an_expired_link_shows_its_page()
    {
        var (id, link) = await WorkspaceWithLinkAsync();
        using var browser = HeadlessChromium.Start();

        browser.Open(link.Url);
        browser.ClickAndWait(By.Id("connect"));
        browser.ClickAndWait(By.CssSelector("button[value=deny]"));
        Assert.Equal("Not connected", browser.TextOf(By.TagName("h1")));
        Assert.Contains("Access was denied in Procore, so nothing was connected. You can try again: open the link you were sent once more", browser.Text, StringComparison.Ordinal);
        Screenshot(browser, "connect-link-denied");

        browser.Open(link.Url);
        Assert.Equal("Connect to Procore", browser.TextOf(By.TagName("h1")));
        Assert.Contains("Access was denied in Procore on the last try", browser.TextOf(By.Id("last-outcome")), StringComparison.Ordinal);
        Screenshot(browser, "connect-link-after-denial");
        Assert.Equal(WorkspaceStatus.Pending, (await WorkspaceAsync(id)).Status);

        var (other, shortLived) = await WorkspaceWithLinkAsync(lifetimeSeconds: 60);
        fixture.Clock.Advance(TimeSpan.FromSeconds(61));
        browser.Open(shortLived.Url);
        Assert.Equal("Link expired", browser.TextOf(By.TagName("h1")));
        Assert.Empty(browser.Driver.FindElements(By.TagName("form")));
        Screenshot(browser, "connect-link-expired");
        Assert.Equal(WorkspaceStatus.Pending, (await WorkspaceAsync(other)).Status);
    }

    [Fact]
    public async Task A_branded_link_shows_the_partners_logo_name_and_colour_and_the_callback_page_names_the_company()
    {
        await using var cdn = await LogoServer.StartAsync();
        var partner = PartnerClient("partner-northwind");
        var settings = await partner.PutAsync("/api/partner/settings", Json.Body(new
        {
            allowedReturnOrigins = Array.Empty<string>(),
            displayName = "Northwind Field Apps",
            logoUrl = cdn.LogoUrl.ToString(),
            brandColor = "#0a5cc2",
        }));
        Assert.Equal(HttpStatusCode.OK, settings.StatusCode);
        var (id, link) = await WorkspaceWithLinkAsync(partner);
        using var browser = HeadlessChromium.Start();

        browser.Open(link.Url);
        Assert.Equal("Northwind Field Apps", browser.TextOf(By.Id("partner-name")));
        Assert.Equal("Northwind Field Apps (partner partner-northwind)", browser.TextOf(By.Id("requested-by")));
        Assert.Equal("rgba(10, 92, 194, 1)", browser.Driver.FindElement(By.Id("connect")).GetCssValue("background-color"));
        Assert.True(browser.Driver.FindElement(By.CssSelector("#partner img")).Size.Width > 0, "the logo did not render");
        Screenshot(browser, "branded-connect-link-page");

        browser.ClickAndWait(By.Id("connect"));
        Assert.Equal("Procore simulator: not the real Procore. For development and tests only.", browser.TextOf(By.Id("simulator")));
        Screenshot(browser, "procore-simulator-sign-in");

        browser.ClickAndWait(By.CssSelector("button[value=allow]"));
        Assert.Equal("Connected to Procore", browser.TextOf(By.TagName("h1")));
        Assert.Equal("Northwind Field Apps", browser.TextOf(By.Id("partner-name")));
        Assert.Contains("Company 1001 (Procore company 1001) is reachable.", browser.Text, StringComparison.Ordinal);
        Screenshot(browser, "branded-callback-connected");

        // A later link for the same workspace names the company as Procore listed it at the sign-in.
        var reconnect = await partner.GetAsync($"/api/workspaces/{id}/connect");
        browser.Open(reconnect.Headers.Location!);
        Assert.Equal("Company 1001 (id 1001)", browser.TextOf(By.Id("company")));
        Screenshot(browser, "branded-connect-link-page-known-company");

        Assert.DoesNotContain(browser.ConsoleMessages(), m => m.Contains("Content Security Policy", StringComparison.Ordinal));
        // The logo came from the partner's origin, and the link's URL (its secret) did not go with it.
        Assert.NotEmpty(cdn.Requests);
        Assert.All(cdn.Requests, referer => Assert.Null(referer));
    }

    private HttpClient PartnerClient(string partnerId)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.BaseAddress };
        client.DefaultRequestHeaders.Add(ProcoreConnect.Security.ApiKeyAuthenticationHandler.Header, fixture.App.PartnerKey(partnerId));
        return client;
    }

    private void Screenshot(HeadlessChromium browser, string name) => output.WriteLine("screenshot: " + browser.SaveScreenshot(name));

    private async Task<(string Id, ConnectLinkResponse Link)> WorkspaceWithLinkAsync(long lifetimeSeconds = 3600) =>
        await WorkspaceWithLinkAsync(fixture.Client, lifetimeSeconds);

    private async Task<(string Id, ConnectLinkResponse Link)> WorkspaceWithLinkAsync(HttpClient partner, long lifetimeSeconds = 3600)
    {
        var app = fixture.Simulator.Register();
        var client = Connections.NewClientName();
        var body = Connections.Client(app.ClientSecret, clientId: app.ClientId).Without("redirectUri").With("displayName", AppName);
        Assert.Equal(HttpStatusCode.Created, (await partner.PutAsync($"/api/oauth-clients/{client}", Json.Body(body))).StatusCode);
        var id = Connections.NewId();
        Assert.Equal(HttpStatusCode.Created, (await partner.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid(client)))).StatusCode);
        var created = await partner.PostAsync($"/api/workspaces/{id}/connect-links", Json.Body(new { lifetimeSeconds }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (id, await created.ReadAsync<ConnectLinkResponse>());
    }

    private async Task<Workspace> WorkspaceAsync(string id) =>
        (await fixture.App.Service<WorkspaceRepository>().FindAsync(id, default))!;
}
