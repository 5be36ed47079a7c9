using System.Net;
using Azure.Data.Tables;
using ProcoreConnect.Audit;
using ProcoreConnect.Security;
using ProcoreConnect.Storage;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Webhooks;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tests.Security;

/// <summary>A deleted workspace's id, reused by another partner or the same one, inherits nothing.</summary>
public sealed class TenantIsolationTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    private static object ProjectCreated(long projectId) => ProcoreSimulator.Webhooks.WebhookPayloads.Build(new ProcoreSimulator.Webhooks.WebhookDeliveryRequest
    {
        Url = new Uri("http://unused"), Format = "v2", ResourceName = "Projects", EventType = "create", ResourceId = projectId, CompanyId = 1001,
    }, DateTimeOffset.UtcNow)!;

    private async Task<HttpResponseMessage> DeliverAsync(Uri url, string authorization, long projectId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url.PathAndQuery) { Content = Json.Body(ProjectCreated(projectId)) };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return await fixture.App.AnonymousClient().SendAsync(request);
    }

    private async Task<int> RowsAsync(string table, string partition)
    {
        var rows = 0;
        await foreach (var _ in (await fixture.App.Service<TableStore>().GetAsync(table, default)).QueryAsync<TableEntity>(e => e.PartitionKey == partition))
        {
            rows++;
        }

        return rows;
    }

    [Theory]
    [InlineData("partner-b")]
    [InlineData("partner-a")]
    public async Task A_reused_workspace_id_inherits_no_audit_projects_deliveries_or_hook(string nextOwner)
    {
        var a = fixture.Client;
        var id = Connections.NewId();
        (await a.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid()))).EnsureSuccessStatusCode();
        var old = (await fixture.App.Service<WorkspaceRepository>().FindAsync(id, default))!;
        var hook = await (await a.PutAsync($"/api/workspaces/{id}/webhooks/procore", null)).ReadAsync<InboundHookSettings>();
        (await DeliverAsync(hook.DeliveryUrl, hook.Authorization, 4242)).EnsureSuccessStatusCode();
        Assert.Single(await (await a.GetAsync($"/api/workspaces/{id}/projects")).ReadAsync<List<KnownProject>>());
        (await a.DeleteAsync($"/api/workspaces/{id}/connection")).EnsureSuccessStatusCode();

        var b = nextOwner == "partner-a" ? a : fixture.App.ClientFor(nextOwner);
        Assert.Equal(HttpStatusCode.Created, (await b.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid()))).StatusCode);

        var audit = await (await b.GetAsync($"/api/workspaces/{id}/audit")).ReadAsync<List<AuditEntry>>();
        var created = Assert.Single(audit);
        Assert.Equal("workspace.created", created.Action);
        Assert.StartsWith(nextOwner + " (", created.Actor, StringComparison.Ordinal);
        Assert.Empty(await (await b.GetAsync($"/api/workspaces/{id}/projects")).ReadAsync<List<KnownProject>>());

        // The old hook's value, at its old URL or at the new workspace's, delivers nothing.
        var current = (await fixture.App.Service<WorkspaceRepository>().FindAsync(new WorkspaceRef(nextOwner, id), default))!;
        Assert.NotEqual(old.Key, current.Key);
        Assert.Equal(HttpStatusCode.Unauthorized, (await DeliverAsync(hook.DeliveryUrl, hook.Authorization, 4343)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await DeliverAsync(new Uri($"http://localhost/api/webhooks/procore/{current.Key}"), hook.Authorization, 4444)).StatusCode);
        Assert.Empty(await (await b.GetAsync($"/api/workspaces/{id}/projects")).ReadAsync<List<KnownProject>>());

        // The deleted workspace's per-workspace rows are gone, not merely unreachable (its audit stays, under its key).
        Assert.Equal(0, await RowsAsync(InboundWebhookStore.HooksTable, old.Key));
        Assert.Equal(0, await RowsAsync(InboundWebhookStore.DeliveriesTable, old.Key));
        Assert.Equal(0, await RowsAsync(InboundWebhookStore.ProjectsTable, old.Key));
        Assert.Equal("workspace.deleted", (await fixture.App.Service<AuditLog>().ReadAsync(old.Key, 1, default))[0].Action);
    }

    [Fact]
    public async Task A_delivery_to_a_deleted_workspace_is_refused()
    {
        var id = Connections.NewId();
        (await fixture.Client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid()))).EnsureSuccessStatusCode();
        var hook = await (await fixture.Client.PutAsync($"/api/workspaces/{id}/webhooks/procore", null)).ReadAsync<InboundHookSettings>();
        var workspace = (await fixture.App.Service<WorkspaceRepository>().FindAsync(id, default))!;

        // A delete cut short after its mark: the hook row is still there, the workspace is not visible.
        await fixture.App.Service<WorkspaceRepository>().UpdateAsync(workspace with { Status = WorkspaceStatus.Deleting }, default);

        Assert.Equal(HttpStatusCode.Unauthorized, (await DeliverAsync(hook.DeliveryUrl, hook.Authorization, 5151)).StatusCode);
        Assert.Equal(0, await RowsAsync(InboundWebhookStore.DeliveriesTable, workspace.Key));
    }

    public static TheoryData<string, string, string> NewlineRoutes() => new()
    {
        { "PUT", "/api/workspaces/zz%0A/connection", "id" },
        { "GET", "/api/workspaces/zz%0A/token", "id" },
        { "PUT", "/api/oauth-clients/zz%0A", "name" },
        { "POST", "/api/partners/p%0A/keys", "partnerId" },
        { "GET", "/api/partners/p%0A/keys", "partnerId" },
    };

    [Theory]
    [MemberData(nameof(NewlineRoutes))]
    public async Task An_id_ending_in_a_newline_is_refused_naming_it_and_nothing_is_written(string method, string path, string field)
    {
        var admin = fixture.App.AnonymousClient();
        admin.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, AppFactory.AdminKey);
        var caller = path.Contains("/partners/", StringComparison.Ordinal) ? admin : fixture.Client;
        var before = await KeysOfAsync("p\n");
        var body = path.Contains("/oauth-clients/", StringComparison.Ordinal) ? Connections.Client() : path.Contains("/workspaces/", StringComparison.Ordinal) ? Connections.Valid() : (object)new { name = "n" };

        var response = await caller.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Json.Body(body) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await KeysOfAsync("p\n"));
        Assert.Equal(0, await KeysOfAsync("p"));
    }

    private async Task<int> KeysOfAsync(string partnerId)
    {
        var rows = 0;
        await foreach (var _ in (await fixture.App.Service<TableStore>().GetAsync(PartnerKeyStore.TableName, default)).QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartnerId eq {partnerId}")))
        {
            rows++;
        }

        return rows;
    }
}

public sealed class OAuthStateLifetimeTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    [Fact]
    public async Task A_pending_sign_in_does_not_survive_its_workspace_being_deleted_and_created_again()
    {
        var app = fixture.Simulator.Register();
        var id = await fixture.CreateWorkspaceAsync(app);
        var browser = fixture.Browser();
        var authorize = await browser.StartAsync(id);
        var state = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(authorize.Query)["state"].ToString();
        var name = (await fixture.App.Service<WorkspaceRepository>().FindAsync(id, default))!.Client.Name;
        (await fixture.Client.DeleteAsync($"/api/workspaces/{id}/connection")).EnsureSuccessStatusCode();
        (await fixture.Client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid(name)))).EnsureSuccessStatusCode();

        // The person finishes signing in for the workspace that no longer exists.
        var code = fixture.Simulator.State.IssueCode(app.ClientId, fixture.App.Service<ProcoreConnect.Hosting.PublicUrls>().Callback.ToString(), null);
        var callback = await browser.OpenAsync(new Uri($"/api/oauth/callback?state={Uri.EscapeDataString(state)}&code={code}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, callback.StatusCode);
        Assert.Equal(WorkspaceStatus.Pending, (await fixture.App.Service<WorkspaceRepository>().FindAsync(id, default))!.Status);
    }

    [Fact]
    public async Task Expired_states_are_purged_by_the_purge_timer_and_live_ones_kept()
    {
        var states = fixture.App.Service<ProcoreConnect.OAuth.OAuthStateStore>();
        var workspace = new WorkspaceRef(AppFactory.DefaultPartner, "ws-any");
        var expired = new ProcoreConnect.OAuth.OAuthState
        {
            Value = "expired-" + Guid.NewGuid().ToString("N"), Workspace = workspace, WorkspaceKey = "ws-any-0123456789abcdef",
            RedirectUri = new Uri("https://cb.example.com"), ExpiresAt = fixture.Clock.GetUtcNow().AddMinutes(-1),
        };
        var live = expired with { Value = "live-" + Guid.NewGuid().ToString("N"), ExpiresAt = fixture.Clock.GetUtcNow().AddMinutes(9) };
        await states.SaveAsync(expired, default);
        await states.SaveAsync(live, default);

        (await fixture.Client.InvokeAsAdminAsync("PurgeDeletedWorkspaces", """{"Data":{"timer":{}},"Metadata":{}}""")).EnsureSuccessStatusCode();

        var table = await fixture.App.Service<TableStore>().GetAsync(ProcoreConnect.OAuth.OAuthStateStore.TableName, default);
        var remaining = new List<DateTimeOffset>();
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            remaining.Add(row.GetDateTimeOffset("ExpiresAt")!.Value);
        }

        Assert.DoesNotContain(remaining, at => at <= fixture.Clock.GetUtcNow());
        Assert.NotNull(await states.TakeAsync(live.Value, default));
    }
}
