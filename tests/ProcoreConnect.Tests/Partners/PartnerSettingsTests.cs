using System.Net;
using ProcoreConnect.Partners;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Partners;

/// <summary>Allowed return origins are each partner's own: no partner's links can send a browser to another's origin.</summary>
public sealed class PartnerSettingsTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    [Fact]
    public async Task A_partner_sets_its_own_origins_in_canonical_form_and_reads_them_back()
    {
        var partner = fixture.App.ClientFor("settings-reader");
        Assert.Empty((await (await partner.GetAsync("/api/partner/settings")).ReadAsync<PartnerSettings>()).AllowedReturnOrigins);

        var saved = await partner.PutAsync("/api/partner/settings", Json.Raw("""{"allowedReturnOrigins":["https://App.Example.com:443/","http://127.0.0.1:3000"]}"""));

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(["https://app.example.com", "http://127.0.0.1:3000"], (await (await partner.GetAsync("/api/partner/settings")).ReadAsync<PartnerSettings>()).AllowedReturnOrigins);
    }

    [Fact]
    public async Task Another_partners_origin_is_not_allowed_for_a_return_url()
    {
        var other = fixture.App.ClientFor("settings-other", ProcoreFixture.NoRedirectsNoCookies);
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register(), caller: other);

        // partner.example.com is the default partner's origin, not this one's.
        var refused = await other.GetAsync($"/api/workspaces/{id}/connect?returnUrl={Uri.EscapeDataString(ProcoreFixture.ReturnOrigin + "/done")}");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await refused.ReadJsonAsync()).GetProperty("errors").TryGetProperty("returnUrl", out _));
        var link = await other.PostAsync($"/api/workspaces/{id}/connect-links", Json.Body(new { returnUrl = ProcoreFixture.ReturnOrigin + "/done" }));
        Assert.Equal(HttpStatusCode.BadRequest, link.StatusCode);

        await ProcoreFixture.AllowReturnOriginAsync(other, "https://other.example.com");
        Assert.Equal(HttpStatusCode.Redirect, (await other.GetAsync($"/api/workspaces/{id}/connect?returnUrl={Uri.EscapeDataString("https://other.example.com/done")}")).StatusCode);
    }

    [Theory]
    [InlineData("""{"allowedReturnOrigins":["http://partner.example.com"]}""", "allowedReturnOrigins[0]")]
    [InlineData("""{"allowedReturnOrigins":["https://ok.example.com","https://partner.example.com/path"]}""", "allowedReturnOrigins[1]")]
    [InlineData("""{"allowedReturnOrigins":["https://user@partner.example.com"]}""", "allowedReturnOrigins[0]")]
    [InlineData("""{"allowedReturnOrigins":["https://partner.example.com?x=1"]}""", "allowedReturnOrigins[0]")]
    [InlineData("""{"allowedReturnOrigins":["javascript:alert(1)"]}""", "allowedReturnOrigins[0]")]
    [InlineData("""{"allowedReturnOrigins":null}""", "allowedReturnOrigins")]
    [InlineData("""{"origins":[]}""", "origins")]
    public async Task A_bad_origin_is_a_400_naming_it_and_changes_nothing(string body, string field)
    {
        var partner = fixture.App.ClientFor("settings-bad");
        await ProcoreFixture.AllowReturnOriginAsync(partner, "https://kept.example.com");

        var response = await partner.PutAsync("/api/partner/settings", Json.Raw(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
        Assert.Equal(["https://kept.example.com"], (await (await partner.GetAsync("/api/partner/settings")).ReadAsync<PartnerSettings>()).AllowedReturnOrigins);
    }

    [Fact]
    public void The_old_list_for_all_partners_stops_the_app_at_start() =>
        Assert.Contains("OAuth:AllowedReturnOrigins is no longer read", AppFactory.StartFailure("OAuth:AllowedReturnOrigins:0", "https://partner.example.com"), StringComparison.Ordinal);
}
