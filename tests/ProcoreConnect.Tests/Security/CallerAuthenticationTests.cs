using System.Net;
using Azure.Data.Tables;
using ProcoreConnect.Hosting;
using ProcoreConnect.Security;
using ProcoreConnect.Storage;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Security;

public sealed class CallerAuthenticationTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    public static TheoryData<string, string> PartnerRoutes()
    {
        var data = new TheoryData<string, string>();
        foreach (var f in AppEndpoints.Functions.Where(f => f.Trigger == FunctionTrigger.Http && f.Policy is not null))
        {
            data.Add(f.Methods[0], "/api/" + f.Route!.Replace("{id}", "ws-any", StringComparison.Ordinal).Replace("{partnerId}", "partner-x", StringComparison.Ordinal).Replace("{keyId}", "0123456789abcdef", StringComparison.Ordinal).Replace("{name}", "oc-any", StringComparison.Ordinal).Replace("{eventId}", "evt_any", StringComparison.Ordinal).Replace("{**path}", "rest/v1.0/me", StringComparison.Ordinal));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PartnerRoutes))]
    public async Task Every_protected_route_refuses_a_caller_without_credentials_and_says_why_in_the_log(string method, string path)
    {
        var response = await fixture.App.AnonymousClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Json.Body(new { }) });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(fixture.App.Logs.Lines, l => l.Contains($"Refused {method} {path} for anonymous: 401 no credentials", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("pck_0123456789abcdef_notthesecret")]
    [InlineData("pck_short_x")]
    [InlineData("not-a-key")]
    public async Task Wrong_keys_are_refused_and_never_logged(string key)
    {
        var client = fixture.App.AnonymousClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, key);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/workspaces")).StatusCode);
        Assert.Contains(fixture.App.Logs.Lines, l => l.Contains("Refused API key", StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.App.Logs.Lines, l => l.Contains(key, StringComparison.Ordinal) && !key.StartsWith("not", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Another_partners_workspace_is_a_404_on_every_route_and_absent_from_its_list()
    {
        var id = await fixture.ConnectedWorkspaceAsync(fixture.Simulator.Register());
        var other = fixture.App.ClientFor("partner-b");
        var before = await fixture.Client.GetAsync($"/api/workspaces/{id}/connection");

        var attempts = new (HttpMethod Method, string Path, object? Body)[]
        {
            (HttpMethod.Get, $"/api/workspaces/{id}/connection", null),
            (HttpMethod.Delete, $"/api/workspaces/{id}/connection", null),
            (HttpMethod.Get, $"/api/workspaces/{id}/connect", null),
            (HttpMethod.Get, $"/api/workspaces/{id}/token", null),
            (HttpMethod.Post, $"/api/workspaces/{id}/validate", null),
            (HttpMethod.Get, $"/api/workspaces/{id}/audit", null),
            (HttpMethod.Get, $"/api/workspaces/{id}/projects", null),
            (HttpMethod.Put, $"/api/workspaces/{id}/webhooks/procore", null),
        };
        foreach (var (method, path, body) in attempts)
        {
            var response = await other.SendAsync(new HttpRequestMessage(method, path) { Content = body is null ? null : Json.Body(body) });
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {response.StatusCode}");
        }

        // Its client: invisible, so unusable, and not to be read, rotated or deleted.
        var clientName = (await fixture.App.Service<ProcoreConnect.Workspaces.WorkspaceRepository>().FindAsync(id, default))!.Client.Name;
        foreach (var (method, path, body) in new (HttpMethod, string, object?)[]
        {
            (HttpMethod.Get, $"/api/oauth-clients/{clientName}", null),
            (HttpMethod.Delete, $"/api/oauth-clients/{clientName}", null),
            (HttpMethod.Put, $"/api/oauth-clients/{clientName}/secret", new { clientSecret = "stolen-secret" }),
            (HttpMethod.Get, $"/api/oauth-clients/{clientName}/companies?environment=sandbox", null),
        })
        {
            var response = await other.SendAsync(new HttpRequestMessage(method, path) { Content = body is null ? null : Json.Body(body) });
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {response.StatusCode}");
        }

        var refused = await other.PutAsync($"/api/workspaces/{Connections.NewId()}/connection", Json.Body(Connections.Valid(clientName)));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        // The same id is free for the other partner: a workspace of its own, which changes nothing of the first.
        Assert.Equal(HttpStatusCode.Created, (await other.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid()))).StatusCode);
        var list = await (await other.GetAsync("/api/workspaces?pageSize=100")).ReadJsonAsync();
        Assert.Equal(1001, list.GetProperty("items").EnumerateArray().Single(w => w.GetProperty("workspaceId").GetString() == id).GetProperty("companyId").GetInt32());
        Assert.Equal(before.Headers.ETag, (await fixture.Client.GetAsync($"/api/workspaces/{id}/connection")).Headers.ETag);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.GetAsync($"/api/workspaces/{id}/token")).StatusCode);
    }

    [Fact]
    public async Task Admins_create_list_and_revoke_partner_keys_which_are_stored_only_as_hashes()
    {
        var admin = fixture.App.AnonymousClient();
        admin.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, AppFactory.AdminKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Client.PostAsync("/api/partners/partner-c/keys", null)).StatusCode);

        var created = await admin.PostAsync("/api/partners/partner-c/keys", Json.Body(new { name = "crm integration" }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var createdBody = await created.ReadJsonAsync();
        var key = createdBody.GetProperty("key").GetString()!;
        var keyId = createdBody.GetProperty("keyId").GetString()!;

        var partner = fixture.App.AnonymousClient();
        partner.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, key);
        Assert.Equal(HttpStatusCode.OK, (await partner.GetAsync("/api/workspaces")).StatusCode);

        var listed = await (await admin.GetAsync("/api/partners/partner-c/keys")).Content.ReadAsStringAsync();
        Assert.Contains(keyId, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(key, listed, StringComparison.Ordinal);
        var table = await fixture.App.Service<TableStore>().GetAsync(PartnerKeyStore.TableName, default);
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            Assert.DoesNotContain(row, p => p.Value is string s && s.Contains(key[(key.IndexOf('_', 4) + 1)..], StringComparison.Ordinal));
        }

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/partners/partner-c/keys/{keyId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await partner.GetAsync("/api/workspaces")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("/api/partners/partner-c/keys/ffffffffffffffff")).StatusCode);
        Assert.DoesNotContain(fixture.App.Logs.Lines, l => l.Contains(key, StringComparison.Ordinal));
    }
}
