using System.Net;
using System.Text.Json;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tests.Workspaces;

/// <summary><c>PATCH …/connection</c> (a JSON merge patch) and <c>GET /api/workspaces?companyId=</c>.</summary>
public sealed class ConnectionPatchTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    private const string MergePatch = "application/merge-patch+json";

    private static HttpClient NewPartner(ProcoreFixture fixture) =>
        fixture.App.ClientFor("partner-" + Guid.NewGuid().ToString("N")[..8], ProcoreFixture.NoRedirectsNoCookies);

    private static async Task<HttpResponseMessage> PatchAsync(HttpClient partner, string id, string json, string contentType = MergePatch, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/workspaces/{id}/connection") { Content = Json.Raw(json, contentType) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await partner.SendAsync(request);
    }

    private static async Task<(string Id, HttpResponseMessage Created)> CreateAsync(HttpClient partner, object tags, long companyId = 1001)
    {
        var id = Connections.NewId();
        var created = await partner.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid().With("tags", tags).With("companyId", companyId)));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (id, created);
    }

    private static async Task<HttpResponseMessage> ReadAsync(HttpClient partner, string id) => await partner.GetAsync($"/api/workspaces/{id}/connection");

    private static async Task<string[]> ListAsync(HttpClient partner, string query)
    {
        var response = await partner.GetAsync("/api/workspaces?" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.ReadAsync<WorkspaceListResponse>()).Items.Select(w => w.WorkspaceId)];
    }

    [Fact]
    public async Task A_patch_sets_and_removes_tags_and_leaves_the_rest_as_it_is()
    {
        var partner = NewPartner(fixture);
        var (id, _) = await CreateAsync(partner, new { keep = "k", drop = "d", change = "old" });

        var response = await PatchAsync(partner, id, """{"tags":{"drop":null,"change":"new","add":"a"}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = await response.ReadAsync<ConnectionResponse>();
        Assert.Equal(new Dictionary<string, string> { ["keep"] = "k", ["change"] = "new", ["add"] = "a" }, view.Tags);
        Assert.Equal((1001, ProcoreConnect.Procore.ProcoreEnvironment.Sandbox, Connections.DefaultClient), (view.CompanyId, view.Environment, view.OAuthClient));
        var read = await ReadAsync(partner, id);
        Assert.Equal(response.Headers.ETag, read.Headers.ETag);
        Assert.Equal(view.Tags, (await read.ReadAsync<ConnectionResponse>()).Tags);
        // The tag index follows: the new values find it, the removed and replaced ones no longer do.
        Assert.Equal([id], await ListAsync(partner, "tag.add=a"));
        Assert.Equal([id], await ListAsync(partner, "tag.change=new"));
        Assert.Empty(await ListAsync(partner, "tag.drop=d"));
        Assert.Empty(await ListAsync(partner, "tag.change=old"));

        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(partner, id, """{"tags":null}""")).StatusCode);
        Assert.Empty((await (await ReadAsync(partner, id)).ReadAsync<ConnectionResponse>()).Tags);
        Assert.Empty(await ListAsync(partner, "tag.keep=k"));
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    public async Task Another_content_type_is_415_naming_the_merge_patch_type_and_changes_nothing(string contentType)
    {
        var partner = NewPartner(fixture);
        var (id, created) = await CreateAsync(partner, new { a = "1" });

        var response = await PatchAsync(partner, id, """{"tags":{"a":"2"}}""", contentType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains(MergePatch, (await response.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(created.Headers.ETag, (await ReadAsync(partner, id)).Headers.ETag);
    }

    [Fact]
    public async Task Null_for_a_required_field_unknown_fields_and_invalid_merged_values_are_each_named_and_change_nothing()
    {
        var partner = NewPartner(fixture);
        var (id, created) = await CreateAsync(partner, new { a = "1" });

        var response = await PatchAsync(partner, id,
            """{"companyId":null,"environment":"staging","oauthClient":7,"region":"west","clientSecret":"s","tags":{"a":5,"b":""}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.Equal(
            ["clientSecret", "companyId", "oauthClient", "region", "tags.a"],
            errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Contains("null", errors.GetProperty("companyId")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("oauth-clients", errors.GetProperty("clientSecret")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(created.Headers.ETag, (await ReadAsync(partner, id)).Headers.ETag);

        // Once the patch reads, the merged connection is validated as a PUT is: every field named.
        var merged = await PatchAsync(partner, id, """{"companyId":0,"environment":"staging","tags":{"b":""}}""");
        Assert.Equal(HttpStatusCode.BadRequest, merged.StatusCode);
        var mergedErrors = (await merged.ReadJsonAsync()).GetProperty("errors");
        Assert.Equal(["companyId", "environment", "tags.b"], mergedErrors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal(created.Headers.ETag, (await ReadAsync(partner, id)).Headers.ETag);
    }

    [Fact]
    public async Task If_match_is_honoured_and_a_missing_or_anothers_workspace_is_404()
    {
        var partner = NewPartner(fixture);
        var (id, created) = await CreateAsync(partner, new { a = "1" });
        var first = await PatchAsync(partner, id, """{"tags":{"b":"2"}}""", ifMatch: created.Headers.ETag!.ToString());
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        var stale = await PatchAsync(partner, id, """{"tags":{"c":"3"}}""", ifMatch: created.Headers.ETag!.ToString());

        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(first.Headers.ETag, (await ReadAsync(partner, id)).Headers.ETag);
        Assert.Equal(HttpStatusCode.NotFound, (await PatchAsync(partner, Connections.NewId(), """{"tags":{"c":"3"}}""")).StatusCode);
        var other = NewPartner(fixture);
        Assert.Equal(HttpStatusCode.NotFound, (await PatchAsync(other, id, """{"tags":{"c":"3"}}""")).StatusCode);
        Assert.Equal(first.Headers.ETag, (await ReadAsync(partner, id)).Headers.ETag);
    }

    [Fact]
    public async Task Patching_the_environment_has_the_consequences_of_a_put_pending_and_the_old_grant_revoked()
    {
        var partner = NewPartner(fixture);
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register(), caller: partner);
        await new Browser(partner, fixture.Simulator.BaseUrl).ConnectAsync(id);
        var token = await (await partner.GetAsync($"/api/workspaces/{id}/token")).ReadJsonAsync();
        var access = token.GetProperty("accessToken").GetString()!;
        Assert.NotNull(fixture.Simulator.State.Authenticate(access));

        var response = await PatchAsync(partner, id, """{"environment":"production"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = await response.ReadAsync<ConnectionResponse>();
        Assert.Equal(WorkspaceStatus.Pending, view.Status);
        Assert.Equal(ProcoreConnect.Procore.ProcoreEnvironment.Production, view.Environment);
        Assert.Null(fixture.Simulator.State.Authenticate(access));
    }

    private HttpClient Admin()
    {
        var admin = fixture.App.AnonymousClient();
        admin.DefaultRequestHeaders.Add("X-Api-Key", AppFactory.AdminKey);
        return admin;
    }

    // An app the operator publishes as a public client; the simulator's person (code flow) is in, or the DMSA installed in, 1001 and 1002.
    private async Task<string> PublicClientAsync(string authFlow, params long[] companies)
    {
        var app = fixture.Simulator.Register(true, companies);
        var name = Connections.NewClientName();
        var body = Connections.Client(app.ClientSecret, authFlow, app.ClientId).Without("redirectUri");
        Assert.Equal(HttpStatusCode.Created, (await Admin().PutAsync($"/api/oauth-clients/{name}", Json.Body(body))).StatusCode);
        return name;
    }

    private static async Task<string> PutAsync(HttpClient partner, string client, long companyId)
    {
        var id = Connections.NewId();
        var created = await partner.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid(client).With("companyId", companyId)));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return id;
    }

    [Fact]
    public async Task Patching_the_company_of_a_signed_in_workspace_sends_it_back_to_pending_and_revokes_its_grant()
    {
        // The review's sequence: a public code-flow client with no grant list, a sign-in that proved 1001 only.
        var client = await PublicClientAsync("authorization_code", 1001);
        var partnerId = "partner-" + Guid.NewGuid().ToString("N")[..8];
        var partner = fixture.App.ClientFor(partnerId, ProcoreFixture.NoRedirectsNoCookies);
        var id = await PutAsync(partner, client, 1001);
        async Task<string?> KnownNameAsync() => (await fixture.App.Service<WorkspaceRepository>().FindAsync(new WorkspaceRef(partnerId, id), default))!.CompanyName;
        await new Browser(partner, fixture.Simulator.BaseUrl).ConnectAsync(id);
        Assert.True((await (await partner.PostAsync($"/api/workspaces/{id}/validate", null)).ReadJsonAsync()).GetProperty("ok").GetBoolean());
        var access = (await (await partner.GetAsync($"/api/workspaces/{id}/token")).ReadJsonAsync()).GetProperty("accessToken").GetString()!;
        var before = await (await ReadAsync(partner, id)).ReadAsync<ConnectionResponse>();
        Assert.Equal((WorkspaceStatus.Connected, true, "Company 1001"), (before.Status, before.LastCheckOk, await KnownNameAsync()));

        var response = await PatchAsync(partner, id, """{"companyId":2002}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = await response.ReadAsync<ConnectionResponse>();
        Assert.Equal((2002L, WorkspaceStatus.Pending), (view.CompanyId, view.Status));
        Assert.Null(view.LastCheckOk);
        Assert.Null(view.LastCheckedAt);
        Assert.Null(await KnownNameAsync());
        Assert.Null(fixture.Simulator.State.Authenticate(access));
        var token = await partner.GetAsync($"/api/workspaces/{id}/token");
        Assert.NotEqual(HttpStatusCode.OK, token.StatusCode);
        Assert.DoesNotContain("accessToken", await token.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var events = (await (await partner.GetAsync("/api/partner/events")).ReadJsonAsync()).GetProperty("items").EnumerateArray();
        var disconnected = Assert.Single(events, e => e.GetProperty("type").GetString() == "workspace.disconnected");
        Assert.Equal("company_changed", disconnected.GetProperty("data").GetProperty("reason").GetString());
        Assert.Equal(1001, disconnected.GetProperty("data").GetProperty("previous").GetProperty("companyId").GetInt64());
    }

    [Fact]
    public async Task Patching_the_company_of_a_client_credentials_workspace_is_checked_as_a_put_and_clears_the_last_check()
    {
        var client = await PublicClientAsync("client_credentials", 1001, 1002);
        var partnerId = "partner-" + Guid.NewGuid().ToString("N")[..8];
        var partner = fixture.App.ClientFor(partnerId, ProcoreFixture.NoRedirectsNoCookies);
        async Task GrantAsync(params long[] companies) => Assert.Equal(HttpStatusCode.OK, (await Admin().PutAsync(
            $"/api/oauth-clients/{client}/grants/{partnerId}", Json.Body(new Dictionary<string, object> { ["companyIds"] = companies }))).StatusCode);
        await GrantAsync(1001);
        var id = await PutAsync(partner, client, 1001);
        Assert.Equal(HttpStatusCode.OK, (await partner.GetAsync($"/api/workspaces/{id}/token")).StatusCode);
        Assert.True((await (await partner.PostAsync($"/api/workspaces/{id}/validate", null)).ReadJsonAsync()).GetProperty("ok").GetBoolean());
        var before = await ReadAsync(partner, id);

        // A company not granted on the shared app is refused, as a PUT creating the workspace would be.
        Assert.Equal(HttpStatusCode.Forbidden, (await PatchAsync(partner, id, """{"companyId":1002}""")).StatusCode);
        Assert.Equal(before.Headers.ETag, (await ReadAsync(partner, id)).Headers.ETag);

        await GrantAsync(1001, 1002);
        var response = await PatchAsync(partner, id, """{"companyId":1002}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = await response.ReadAsync<ConnectionResponse>();
        Assert.Equal((1002L, WorkspaceStatus.Connected), (view.CompanyId, view.Status));
        Assert.Null(view.LastCheckOk);
        Assert.Null(view.LastCheckedAt);
    }

    [Theory]
    [InlineData("""{"tags":{"a":"1"},"tags":{"b":"2"}}""", "tags")]
    [InlineData("""{"tags":{"a":"1","a":"2"}}""", "tags.a")]
    [InlineData("""{"companyId":1001,"companyId":2002}""", "companyId")]
    public async Task A_member_sent_twice_is_a_400_naming_it_and_changes_nothing(string json, string field)
    {
        var partner = NewPartner(fixture);
        var (id, created) = await CreateAsync(partner, new { keep = "k" });

        var response = await PatchAsync(partner, id, json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(e => e.Name));
        Assert.Equal(created.Headers.ETag, (await ReadAsync(partner, id)).Headers.ETag);
    }

    [Fact]
    public async Task Company_id_lists_only_the_callers_workspaces_in_that_company()
    {
        var company = Random.Shared.NextInt64(1_000_000, 9_000_000_000);
        var partner = NewPartner(fixture);
        var other = NewPartner(fixture);
        var (a, _) = await CreateAsync(partner, new { t = "x" }, company);
        var (b, _) = await CreateAsync(partner, new { t = "y" }, company);
        await CreateAsync(partner, new { t = "x" }, company + 1);
        await CreateAsync(other, new { t = "x" }, company);

        Assert.Equal(new[] { a, b }.Order(StringComparer.Ordinal), await ListAsync(partner, $"companyId={company}"));
        Assert.Equal([a], await ListAsync(partner, $"companyId={company}&tag.t=x"));
        Assert.Single(await ListAsync(other, $"companyId={company}"));
        Assert.Empty(await ListAsync(NewPartner(fixture), $"companyId={company}"));
        foreach (var bad in new[] { "abc", "0", "-5", "1.5" })
        {
            var response = await partner.GetAsync("/api/workspaces?companyId=" + bad);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("companyId", out _));
        }
    }
}
