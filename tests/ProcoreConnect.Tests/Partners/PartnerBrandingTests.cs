using System.Net;
using ProcoreConnect.Audit;
using ProcoreConnect.Partners;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Partners;

/// <summary>A partner's display name, logo URL and colour, set with its settings: plain text, a checked URL, a strict colour, or nothing changes.</summary>
public sealed class PartnerBrandingTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    [Fact]
    public async Task A_partner_sets_its_name_logo_and_colour_reads_them_back_and_a_put_without_them_clears_them()
    {
        var partner = fixture.App.ClientFor("brand-set");
        var saved = await partner.PutAsync("/api/partner/settings", Json.Raw(
            """{"allowedReturnOrigins":[],"displayName":"  Smith & \"Sons\" Platform ","logoUrl":"https://cdn.example.com/brand/logo.png?v=2","brandColor":"#0A5CC2"}"""));

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var read = await (await partner.GetAsync("/api/partner/settings")).ReadAsync<PartnerSettings>();
        Assert.Equal("Smith & \"Sons\" Platform", read.DisplayName);
        Assert.Equal(new Uri("https://cdn.example.com/brand/logo.png?v=2"), read.LogoUrl);
        Assert.Equal("#0a5cc2", read.BrandColor);
        var audit = await fixture.App.Service<AuditLog>().ReadAsync("partner:brand-set", 10, default);
        Assert.Equal("allowedReturnOrigins, displayName, logoUrl, brandColor", audit[0].Details);

        Assert.Equal(HttpStatusCode.OK, (await partner.PutAsync("/api/partner/settings", Json.Raw("""{"allowedReturnOrigins":[]}"""))).StatusCode);
        var cleared = await (await partner.GetAsync("/api/partner/settings")).ReadAsync<PartnerSettings>();
        Assert.Null(cleared.DisplayName);
        Assert.Null(cleared.LogoUrl);
        Assert.Null(cleared.BrandColor);
    }

    [Theory]
    [InlineData("displayName", "<script>alert(1)</script>")]
    [InlineData("displayName", "Acme<img src=x onerror=alert(1)>")]
    [InlineData("displayName", "Acme \u202Emroftalp")] // a bidi override: reads as another name
    [InlineData("displayName", "Acme\u200B Platform")] // zero-width space
    [InlineData("displayName", "Acme\nPlatform")]
    [InlineData("displayName", "   ")]
    [InlineData("displayName", "")]
    [InlineData("displayName", "\u3164\u3164")] // Hangul fillers: letters to Unicode, blank on the page
    [InlineData("displayName", "\u115F")]
    [InlineData("displayName", "\uFFA0")]
    [InlineData("displayName", "\u2800")] // braille blank
    [InlineData("displayName", "Acme\u1160Platform")]
    [InlineData("displayName", "Acme\u180EPlatform")] // Mongolian vowel separator
    [InlineData("displayName", "Acme\u2028Platform")] // line separator
    [InlineData("displayName", "Acme\u2029Platform")] // paragraph separator
    [InlineData("displayName", "Acme\uFEFF")] // zero-width no-break space
    [InlineData("displayName", "---")] // no letter or digit
    [InlineData("displayName", "Procore")]
    [InlineData("displayName", " procore connect ")]
    [InlineData("displayName", "PROCORE\u3000  Connect")] // spaces a page collapses
    [InlineData("displayName", "\uFF30rocore")] // full-width P
    [InlineData("displayName", "BuildCo Platform (partner pb)")] // claims another partner's id
    [InlineData("displayName", "BuildCo (Partner\u00A0pb")]
    [InlineData("displayName", "a-name-longer-than-eighty-characters-is-refused-because-a-page-shows-it-whole-xyz")]
    [InlineData("logoUrl", "javascript:alert(1)")]
    [InlineData("logoUrl", "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>")]
    [InlineData("logoUrl", "http://cdn.example.com/logo.png")]
    [InlineData("logoUrl", "https://user:secret@cdn.example.com/logo.png")]
    [InlineData("logoUrl", "https://10.0.0.5/logo.png")]
    [InlineData("logoUrl", "https://169.254.169.254/latest/meta-data")]
    [InlineData("logoUrl", "https://localhost/logo.png")]
    [InlineData("logoUrl", "https://192.168.1.1./x")] // a browser reads the fully qualified form as the address
    [InlineData("logoUrl", "https://192\u3002168\u3002" + "1\u30021/x")] // ideographic full stops: a browser reads 192.168.1.1
    [InlineData("logoUrl", "https://[2001:4860:4860::8888]/logo.png")]
    [InlineData("logoUrl", "/relative/logo.png")]
    [InlineData("brandColor", "red")]
    [InlineData("brandColor", "#fff")]
    [InlineData("brandColor", "#12345g")]
    [InlineData("brandColor", "#1234567")]
    [InlineData("brandColor", "#123456;}body{display:none}")]
    [InlineData("brandColor", "rgb(1,2,3)")]
    public async Task An_unsafe_value_is_a_400_naming_it_and_changes_nothing(string field, string value)
    {
        var partner = fixture.App.ClientFor("brand-unsafe");
        const string kept = """{"allowedReturnOrigins":["https://kept.example.com"],"displayName":"Kept","logoUrl":"https://cdn.example.com/kept.png","brandColor":"#112233"}""";
        Assert.Equal(HttpStatusCode.OK, (await partner.PutAsync("/api/partner/settings", Json.Raw(kept))).StatusCode);
        var before = await (await partner.GetAsync("/api/partner/settings")).Content.ReadAsStringAsync();
        var body = new Dictionary<string, object> { ["allowedReturnOrigins"] = Array.Empty<string>(), [field] = value };

        var response = await partner.PutAsync("/api/partner/settings", Json.Body(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), errors.ToString());
        Assert.Equal(before, await (await partner.GetAsync("/api/partner/settings")).Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("Société Générale Bâtiment", "Société Générale Bâtiment")]
    [InlineData("  北京建设平台 ", "北京建设平台")]
    [InlineData("한국 건설 앱", "한국 건설 앱")]
    [InlineData("Ørsted 2 (EU)", "Ørsted 2 (EU)")]
    public async Task A_name_in_any_script_is_kept_trimmed(string name, string stored)
    {
        var partner = fixture.App.ClientFor("brand-scripts");

        var response = await partner.PutAsync("/api/partner/settings", Json.Body(new Dictionary<string, object> { ["allowedReturnOrigins"] = Array.Empty<string>(), ["displayName"] = name }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(stored, (await response.ReadAsync<PartnerSettings>()).DisplayName);
    }

    [Fact]
    public async Task Every_bad_field_is_named_at_once()
    {
        var partner = fixture.App.ClientFor("brand-all-bad");

        var response = await partner.PutAsync("/api/partner/settings", Json.Raw(
            """{"allowedReturnOrigins":["ftp://x"],"displayName":"<b>x</b>","logoUrl":"http://cdn.example.com/x.png","brandColor":"blue"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.Equal(["allowedReturnOrigins[0]", "brandColor", "displayName", "logoUrl"], errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_http_logo_on_loopback_is_allowed_only_by_the_development_switch()
    {
        await using var production = AppFactory.With(new Dictionary<string, string?> { ["Events:AllowInsecureLoopback"] = "false" });
        var refused = await production.ClientFor("brand-prod").PutAsync("/api/partner/settings", Json.Raw("""{"allowedReturnOrigins":[],"logoUrl":"http://127.0.0.1:8080/logo.png"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        var development = await fixture.App.ClientFor("brand-dev").PutAsync("/api/partner/settings", Json.Raw("""{"allowedReturnOrigins":[],"logoUrl":"http://127.0.0.1:8080/logo.png"}"""));
        Assert.Equal(HttpStatusCode.OK, development.StatusCode);
    }
}
