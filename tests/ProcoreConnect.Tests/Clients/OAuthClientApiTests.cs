using System.Net;
using ProcoreConnect.Clients;
using ProcoreConnect.Secrets;
using ProcoreConnect.Security;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tests.Clients;

public sealed class OAuthClientApiTests : IClassFixture<AppFactory>
{
    private readonly AppFactory _app;
    private readonly HttpClient _client;

    public OAuthClientApiTests(AppFactory app)
    {
        _app = app;
        _client = app.CreateClient();
    }

    private HttpClient Admin()
    {
        var admin = _app.AnonymousClient();
        admin.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, AppFactory.AdminKey);
        return admin;
    }

    private async Task<OAuthClient> StoredAsync(string owner, string name) =>
        (await _app.Service<OAuthClientRepository>().FindAsync(new OAuthClientRef(owner, name), default))!;

    [Fact]
    public async Task Create_read_update_delete_round_trip_without_ever_showing_the_secret()
    {
        var name = Connections.NewClientName();
        var secret = Connections.NewSecret();
        var body = Connections.Client(secret).With("displayName", "Acme sync");

        var created = await _client.PutAsync($"/api/oauth-clients/{name}", Json.Body(body));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/oauth-clients/{name}", created.Headers.Location?.OriginalString);
        var view = await created.ReadAsync<OAuthClientResponse>();
        Assert.Equal(name, view.Name);
        Assert.Equal("Acme sync", view.DisplayName);
        Assert.False(view.Public);
        Assert.Equal(AuthFlow.AuthorizationCode, view.AuthFlow);
        Assert.Equal(body["clientId"], view.ClientId);
        Assert.True(view.ClientSecret.IsSet);
        Assert.False(view.ClientSecret.RefusedByProcore);
        Assert.Equal(new Uri("https://connect.example.com/api/oauth/callback"), view.RedirectUri);

        var read = await _client.GetAsync($"/api/oauth-clients/{name}");
        Assert.Equal(created.Headers.ETag, read.Headers.ETag);
        Assert.Equal(0, (await read.ReadAsync<OAuthClientResponse>()).WorkspaceCount);

        var updated = await _client.PutAsync($"/api/oauth-clients/{name}", Json.Body(body.Without("clientSecret").With("displayName", "Acme")));
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("Acme", (await updated.ReadAsync<OAuthClientResponse>()).DisplayName);

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/api/oauth-clients/{name}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/oauth-clients/{name}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.DeleteAsync($"/api/oauth-clients/{name}")).StatusCode);

        var everything = string.Join('\n', await Task.WhenAll(new[] { created, read, updated }.Select(r => r.Content.ReadAsStringAsync())));
        Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(_app.Logs.Lines, l => l.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_secret_goes_to_the_secret_store_old_versions_are_disabled_and_delete_removes_it()
    {
        var name = Connections.NewClientName();
        var first = Connections.NewSecret();
        (await _client.PutAsync($"/api/oauth-clients/{name}", Json.Body(Connections.Client(first)))).EnsureSuccessStatusCode();
        var secrets = _app.Service<ISecretStore>();
        var before = await StoredAsync(AppFactory.DefaultPartner, name);
        Assert.Equal(first, await secrets.GetAsync(before.ClientSecret, default));

        var second = Connections.NewSecret();
        (await _client.PutAsync($"/api/oauth-clients/{name}", Json.Body(Connections.Client(second, clientId: before.ClientId)))).EnsureSuccessStatusCode();
        var after = await StoredAsync(AppFactory.DefaultPartner, name);
        Assert.Equal(second, await secrets.GetAsync(after.ClientSecret, default));
        await Assert.ThrowsAsync<SecretNotFoundException>(() => secrets.GetAsync(before.ClientSecret, default));

        (await _client.DeleteAsync($"/api/oauth-clients/{name}")).EnsureSuccessStatusCode();
        await Assert.ThrowsAsync<SecretNotFoundException>(() => secrets.GetAsync(after.ClientSecret, default));
    }

    [Fact]
    public async Task A_client_in_use_is_not_deleted_and_its_client_id_does_not_change()
    {
        var name = Connections.NewClientName();
        var body = Connections.Client();
        (await _client.PutAsync($"/api/oauth-clients/{name}", Json.Body(body))).EnsureSuccessStatusCode();
        var ids = new[] { Connections.NewId(), Connections.NewId() };
        foreach (var id in ids)
        {
            (await _client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid(name)))).EnsureSuccessStatusCode();
        }

        var etag = (await _client.GetAsync($"/api/oauth-clients/{name}")).Headers.ETag;
        var refused = await _client.DeleteAsync($"/api/oauth-clients/{name}");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(etag, (await _client.GetAsync($"/api/oauth-clients/{name}")).Headers.ETag); // refused, so untouched
        Assert.Contains("2 workspaces", (await refused.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, (await (await _client.GetAsync($"/api/oauth-clients/{name}")).ReadAsync<OAuthClientResponse>()).WorkspaceCount);
        Assert.Equal(OAuthClientStatus.Active, (await StoredAsync(AppFactory.DefaultPartner, name)).Status);

        var renamed = await _client.PutAsync($"/api/oauth-clients/{name}", Json.Body(body.With("clientId", "another-app")));
        Assert.Equal(HttpStatusCode.Conflict, renamed.StatusCode);

        foreach (var id in ids)
        {
            (await _client.DeleteAsync($"/api/workspaces/{id}/connection")).EnsureSuccessStatusCode();
        }

        Assert.Equal(HttpStatusCode.OK, (await _client.PutAsync($"/api/oauth-clients/{name}", Json.Body(body.With("clientId", "another-app")))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/api/oauth-clients/{name}")).StatusCode);
    }

    [Fact]
    public async Task A_public_client_serves_every_partner_and_no_partner_can_change_it_or_see_its_secret()
    {
        var name = Connections.NewClientName();
        var secret = Connections.NewSecret();
        var admin = Admin();
        var created = await admin.PutAsync($"/api/oauth-clients/{name}", Json.Body(Connections.Client(secret, "client_credentials")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.True((await created.ReadAsync<OAuthClientResponse>()).Public);

        foreach (var partner in new[] { "partner-a", "partner-b" })
        {
            // A public client-credentials client serves a partner only in the companies the operator grants it.
            (await admin.PutAsync($"/api/oauth-clients/{name}/grants/{partner}", Json.Raw("""{"companyIds":[1001]}"""))).EnsureSuccessStatusCode();
            var client = _app.ClientFor(partner);
            var id = Connections.NewId();
            var workspace = await client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid(name)));
            Assert.Equal(HttpStatusCode.Created, workspace.StatusCode);
            Assert.True((await workspace.ReadAsync<ConnectionResponse>()).OAuthClientPublic);

            var read = await client.GetAsync($"/api/oauth-clients/{name}");
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            var view = await read.ReadAsync<OAuthClientResponse>();
            Assert.True(view.Public);
            Assert.Equal(1, view.WorkspaceCount); // its own workspaces only
            Assert.Equal([1001L], view.GrantedCompanyIds);
            Assert.DoesNotContain(secret, await read.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            Assert.Equal(HttpStatusCode.Conflict, (await client.PutAsync($"/api/oauth-clients/{name}", Json.Body(Connections.Client()))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PutAsync($"/api/oauth-clients/{name}/secret", Json.Body(new { clientSecret = "stolen" }))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.DeleteAsync($"/api/oauth-clients/{name}")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/oauth-clients/{name}/companies?environment=production&companyId=1001")).StatusCode);
        }

        var stored = await StoredAsync(OAuthClientRef.PublicOwner, name);
        Assert.Equal(secret, await _app.Service<ISecretStore>().GetAsync(stored.ClientSecret, default));
        Assert.Equal(HttpStatusCode.Conflict, (await admin.DeleteAsync($"/api/oauth-clients/{name}")).StatusCode);
        Assert.Contains("2 workspaces", await (await admin.DeleteAsync($"/api/oauth-clients/{name}")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_cannot_name_a_public_client_after_a_partners_client()
    {
        var name = Connections.NewClientName();
        (await _client.PutAsync($"/api/oauth-clients/{name}", Json.Body(Connections.Client()))).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Conflict, (await Admin().PutAsync($"/api/oauth-clients/{name}", Json.Body(Connections.Client()))).StatusCode);
    }

    [Fact]
    public async Task The_list_pages_through_own_clients_then_public_ones_once_each()
    {
        using var isolated = new AppFactory();
        var partner = isolated.CreateClient();
        var admin = isolated.AnonymousClient();
        admin.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, AppFactory.AdminKey);
        var own = Enumerable.Range(0, 3).Select(_ => Connections.NewClientName()).ToList();
        var shared = Enumerable.Range(0, 2).Select(_ => Connections.NewClientName()).ToList();
        foreach (var name in own)
        {
            (await partner.PutAsync($"/api/oauth-clients/{name}", Json.Body(Connections.Client()))).EnsureSuccessStatusCode();
        }

        foreach (var name in shared)
        {
            (await admin.PutAsync($"/api/oauth-clients/{name}", Json.Body(Connections.Client()))).EnsureSuccessStatusCode();
        }

        var listed = new List<(string Name, bool Public)>();
        string? token = null;
        var pages = 0;
        do
        {
            var url = "/api/oauth-clients?pageSize=2" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token));
            var page = await (await partner.GetAsync(url)).ReadAsync<OAuthClientListResponse>();
            Assert.True(page.Items.Count <= 2);
            listed.AddRange(page.Items.Select(i => (i.Name, i.Public)));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null && pages < 10);

        // The partner's own (the default test client among them), then the public ones.
        Assert.Equal(own.Append(Connections.DefaultClient).Order(), listed.Where(c => !c.Public).Select(c => c.Name).Order());
        Assert.Equal(shared.Order(), listed.Where(c => c.Public).Select(c => c.Name).Order());
        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.True(listed.FindLastIndex(c => !c.Public) < listed.FindIndex(c => c.Public));
    }
}
