using System.Net;
using System.Net.Http.Headers;
using ProcoreConnect.Security;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Security;

/// <summary>
/// Refusals say what to do: a 401 names the header and scheme to send (and the mistake, when the
/// key went under the wrong scheme), a 403 the role the route needs, both as problem details; a
/// browser that opens an API route gets a page pointing at the reference instead of JSON.
/// </summary>
public sealed class RefusalWordsTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    private HttpClient Anonymous(params (string Name, string Value)[] headers)
    {
        var client = fixture.App.AnonymousClient(ProcoreFixture.NoRedirectsNoCookies);
        foreach (var (name, value) in headers)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation(name, value);
        }

        return client;
    }

    private static async Task<string> ProblemDetailAsync(HttpResponseMessage response, HttpStatusCode status) =>
        (await ProblemAsync(response, status)).GetProperty("detail").GetString()!;

    private static async Task<System.Text.Json.JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return System.Text.Json.JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task A_401_without_credentials_names_the_header_and_the_scheme()
    {
        var detail = await ProblemDetailAsync(await Anonymous().GetAsync("/api/workspaces"), HttpStatusCode.Unauthorized);
        Assert.Contains("X-Api-Key", detail, StringComparison.Ordinal);
        Assert.Contains("Authorization: ApiKey", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_partner_key_sent_as_a_bearer_token_is_told_where_it_goes_without_being_echoed()
    {
        var key = fixture.App.PartnerKey(AppFactory.DefaultPartner);
        var detail = await ProblemDetailAsync(await Anonymous(("Authorization", "Bearer " + key)).GetAsync("/api/workspaces"), HttpStatusCode.Unauthorized);
        Assert.Contains("'Bearer' scheme", detail, StringComparison.Ordinal);
        Assert.Contains("X-Api-Key", detail, StringComparison.Ordinal);
        Assert.DoesNotContain(key, detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{0}")]
    [InlineData("ApiKey:{0}")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl")]
    public async Task A_credential_standing_where_the_scheme_goes_is_never_echoed(string authorization)
    {
        var key = fixture.App.PartnerKey(AppFactory.DefaultPartner);
        var sent = string.Format(System.Globalization.CultureInfo.InvariantCulture, authorization, key);
        var response = await Anonymous(("Authorization", sent)).GetAsync("/api/workspaces");
        var detail = await ProblemDetailAsync(response, HttpStatusCode.Unauthorized);

        Assert.Contains("X-Api-Key", detail, StringComparison.Ordinal);
        Assert.DoesNotContain(sent.Split(' ')[0], detail, StringComparison.Ordinal);
        Assert.DoesNotContain(key[..24], detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{0}")]
    [InlineData("x{0}")]
    [InlineData("%20{0}")]
    [InlineData("{1}")]
    public async Task A_key_or_its_secret_pasted_as_a_query_name_is_neither_answered_nor_logged(string name)
    {
        var key = fixture.App.PartnerKey(AppFactory.DefaultPartner);
        var secret = key[(PartnerKeyStore.Prefix.Length + 16 + 1)..]; // pck_<16 hex>_<secret>; the secret may hold '_' itself
        var sent = string.Format(System.Globalization.CultureInfo.InvariantCulture, name, key, secret);
        var response = await fixture.App.ClientFor(AppFactory.DefaultPartner).GetAsync($"/api/workspaces?{sent}=1");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(secret[..16], body, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.App.Logs.Lines, l => l.Contains(secret[..16], StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_query_with_several_bad_values_is_told_of_every_one()
    {
        var response = await fixture.App.ClientFor(AppFactory.DefaultPartner)
            .GetAsync("/api/workspaces?pageSize=0&continuationToken=!!&companyId=-4&tag.region=&tag.-bad=x");
        var errors = (await ProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("errors");

        Assert.Equal(
            ["companyId", "continuationToken", "pageSize", "tag.-bad", "tag.region"],
            errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_refused_key_is_told_so_and_how_keys_look()
    {
        var detail = await ProblemDetailAsync(
            await Anonymous((ApiKeyAuthenticationHandler.Header, "pck_0123456789abcdef_wrong")).GetAsync("/api/workspaces"), HttpStatusCode.Unauthorized);
        Assert.Contains("The API key was refused", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("admin", "/api/workspaces", Roles.Partner)]
    [InlineData("partner", "/api/partners/partner-x/keys", Roles.Admin)]
    public async Task A_403_names_the_role_the_route_needs(string caller, string path, string role)
    {
        var client = caller == "admin"
            ? Anonymous((ApiKeyAuthenticationHandler.Header, AppFactory.AdminKey))
            : fixture.App.ClientFor(AppFactory.DefaultPartner);
        var problem = await ProblemAsync(await client.GetAsync(path), HttpStatusCode.Forbidden);
        Assert.Contains($"'{role}' role", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(role, problem.GetProperty(AuthProblems.RequiredRoleExtension).GetString());
    }

    [Fact]
    public async Task A_browser_opening_an_api_route_gets_a_page_pointing_at_the_reference()
    {
        var browser = Anonymous(("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));
        var response = await browser.GetAsync("/api/workspaces/acme-hq/connect");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("This is an API route", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/api/reference/\"", page, StringComparison.Ordinal);
        Assert.Contains("X-Api-Key", page, StringComparison.Ordinal);
        Assert.Contains(fixture.App.Logs.Lines, l => l.Contains("Refused GET /api/workspaces/acme-hq/connect for anonymous: 401", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Api_clients_keep_problem_details_and_the_anonymous_pages_their_own()
    {
        // A client asking for JSON, or sending a key, keeps JSON even when it also takes HTML (a browser with a key).
        var json = Anonymous();
        json.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        await ProblemDetailAsync(await json.GetAsync("/api/workspaces"), HttpStatusCode.Unauthorized);
        var keyed = Anonymous(("Accept", "text/html,*/*;q=0.8"), (ApiKeyAuthenticationHandler.Header, "pck_0123456789abcdef_wrong"));
        await ProblemDetailAsync(await keyed.GetAsync("/api/workspaces"), HttpStatusCode.Unauthorized);

        // The connect-link page is the service's own page, as before.
        var link = await Anonymous(("Accept", "text/html")).GetAsync("/api/connect/no-such-link-token");
        Assert.Equal(HttpStatusCode.NotFound, link.StatusCode);
        Assert.DoesNotContain("This is an API route", await link.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Not_connected_names_this_workspace_and_the_call_that_connects_it()
    {
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register());
        var response = await fixture.Client.GetAsync($"/api/workspaces/{id}/token");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var detail = (await response.ReadJsonAsync()).GetProperty("detail").GetString()!;
        Assert.Contains($"POST /api/workspaces/{id}/connect-links", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("{id}", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_with_inline_credentials_is_refused_naming_every_offending_field()
    {
        var id = Connections.NewId();
        var body = Connections.Valid().With("authFlow", "authorization_code").With("clientId", "x").With("clientSecret", "y").With("companyId", "1001");
        var response = await fixture.Client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.Equal(
            ["authFlow", "clientId", "clientSecret", "companyId"],
            errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Contains("moved to OAuth clients", errors.GetProperty("clientSecret")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync($"/api/workspaces/{id}/connection")).StatusCode);
    }
}
