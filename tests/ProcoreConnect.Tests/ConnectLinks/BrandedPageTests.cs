using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ProcoreConnect.ConnectLinks;
using ProcoreConnect.Partners;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tests.ConnectLinks;

/// <summary>
/// The pages a person opens name the partner (its display name beside the partner id it cannot
/// choose) and the company (by the name Procore listed at a sign-in), show the partner's logo and
/// colour under a CSP that allows the logo's origin and nothing more, and encode everything.
/// </summary>
public sealed partial class BrandedPageTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    private const string Settings = """{"allowedReturnOrigins":[],"displayName":"Northwind Field Apps","logoUrl":"https://cdn.northwind.example/brand/logo.svg","brandColor":"#0a5cc2"}""";

    private HttpClient Person { get; } = fixture.App.AnonymousClient(ProcoreFixture.NoRedirectsNoCookies);

    [Fact]
    public async Task A_link_page_names_the_partner_and_shows_its_logo_and_colour_under_a_csp_naming_only_the_logo_origin()
    {
        var partner = await PartnerAsync("brand-page", Settings);
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register(), caller: partner);

        var page = await Person.GetAsync(await LinkAsync(partner, id));
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<span id=\"partner-name\">Northwind Field Apps</span>", html, StringComparison.Ordinal);
        Assert.Contains("Northwind Field Apps <small>(partner brand-page)</small>", html, StringComparison.Ordinal);
        Assert.Contains("<img src=\"https://cdn.northwind.example/brand/logo.svg\" alt=\"\" referrerpolicy=\"no-referrer\">", html, StringComparison.Ordinal);
        var style = StyleElement().Match(html).Groups[1].Value;
        Assert.EndsWith("main{border-top:6px solid #0a5cc2}button{background:#0a5cc2;color:#fff}", style, StringComparison.Ordinal);
        Assert.Equal(
            $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)))}'; img-src https://cdn.northwind.example; "
            + $"form-action 'self' {fixture.Simulator.BaseUrl.GetLeftPart(UriPartial.Authority)}; frame-ancestors 'none'; base-uri 'none'",
            page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        // A link lasts until a date; a sign-in, minutes.
        Assert.Contains("This link works until <time", html, StringComparison.Ordinal);
        Assert.Contains("must be finished within 10 minutes", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_branding_the_page_names_the_partner_id_and_allows_no_image()
    {
        var partner = await PartnerAsync("brand-none", """{"allowedReturnOrigins":[]}""");
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register(), caller: partner);

        var page = await Person.GetAsync(await LinkAsync(partner, id));
        var html = await page.Content.ReadAsStringAsync();

        Assert.Contains("<span id=\"partner-name\">brand-none</span>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("img-src", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_or_colour_that_slipped_past_the_checks_is_still_harmless_on_the_page()
    {
        var partner = await PartnerAsync("brand-hostile", """{"allowedReturnOrigins":[]}""");
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register(), caller: partner);
        // Written past the API's checks, as an older row or a bug elsewhere could have.
        await fixture.App.Service<PartnerSettingsStore>().SaveAsync(
            "brand-hostile", new PartnerSettings([], null) { DisplayName = "<script>alert(\"x\")</script> & 'Co'", BrandColor = "#fff}body{display:none" }, default);

        var html = await (await Person.GetAsync(await LinkAsync(partner, id))).Content.ReadAsStringAsync();

        Assert.Contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("display:none", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_callback_page_names_partner_and_company_and_the_next_link_page_shows_the_company_name_until_the_company_changes()
    {
        var partner = await PartnerAsync("brand-callback", Settings);
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register(), caller: partner);
        var first = await (await Person.GetAsync(await LinkAsync(partner, id))).Content.ReadAsStringAsync();
        Assert.Contains("<dd id=\"company\">1001</dd>", first, StringComparison.Ordinal);

        var browser = new Browser(fixture.App.ClientFor("brand-callback", ProcoreFixture.NoRedirectsNoCookies), fixture.Simulator.BaseUrl);
        var (callback, _) = await browser.ConnectAsync(id);
        var html = await callback.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
        Assert.Contains("<span id=\"partner-name\">Northwind Field Apps</span>", html, StringComparison.Ordinal);
        Assert.Contains("Company 1001 (Procore company 1001) is reachable. You can close this window.", html, StringComparison.Ordinal);
        Assert.Contains("img-src https://cdn.northwind.example;", callback.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var workspace = await fixture.App.Service<WorkspaceRepository>().FindAsync(new WorkspaceRef("brand-callback", id), default);
        Assert.Equal("Company 1001", workspace!.CompanyName);

        var reconnect = await (await Person.GetAsync(await LinkAsync(partner, id))).Content.ReadAsStringAsync();
        Assert.Contains("<dd id=\"company\">Company 1001 <small>(id 1001)</small></dd>", reconnect, StringComparison.Ordinal);

        // Another company: the name learned for 1001 is not shown for it.
        var moved = await partner.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid(workspace.Client.Name).With("companyId", 1002)));
        Assert.True(moved.IsSuccessStatusCode, await moved.Content.ReadAsStringAsync());
        var after = await (await Person.GetAsync(await LinkAsync(partner, id))).Content.ReadAsStringAsync();
        Assert.Contains("<dd id=\"company\">1002</dd>", after, StringComparison.Ordinal);
        Assert.DoesNotContain("Company 1001", after, StringComparison.Ordinal);
    }

    private async Task<HttpClient> PartnerAsync(string partnerId, string settings)
    {
        var partner = fixture.App.ClientFor(partnerId, ProcoreFixture.NoRedirectsNoCookies);
        var response = await partner.PutAsync("/api/partner/settings", Json.Raw(settings));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return partner;
    }

    private static async Task<string> LinkAsync(HttpClient partner, string id)
    {
        var response = await partner.PostAsync($"/api/workspaces/{id}/connect-links", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadAsync<ConnectLinkResponse>()).Url.PathAndQuery;
    }

    [GeneratedRegex("<style>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StyleElement();
}
