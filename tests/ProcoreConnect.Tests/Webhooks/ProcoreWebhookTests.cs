using System.Net;
using ProcoreConnect.Storage;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Webhooks;

namespace ProcoreConnect.Tests.Webhooks;

public sealed class ProcoreWebhookTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    private static Dictionary<string, object?> Delivery(string ulid, long id, string resource = "Projects", string eventType = "create", long resourceId = 555) => new Dictionary<string, object?>
    {
        ["id"] = id,
        ["ulid"] = ulid,
        ["timestamp"] = "2026-11-22T10:00:00.000Z",
        ["resource_name"] = resource,
        ["resource_id"] = resourceId,
        ["event_type"] = eventType,
        ["company_id"] = 1001,
        ["project_id"] = resourceId,
        ["api_version"] = "v2",
        ["metadata"] = new { source_user_id = 1, source_operation_id = (string?)null },
    };

    private async Task<(string Id, InboundHookSettings Hook)> ConfiguredAsync(params long[] visibleProjects)
    {
        var client = fixture.Simulator.Register();
        fixture.Simulator.State.Register(client with { Projects = visibleProjects });
        var id = await fixture.CreateWorkspaceAsync(client with { Projects = visibleProjects }, "client_credentials");
        var response = await fixture.Client.PutAsync($"/api/workspaces/{id}/webhooks/procore", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (id, await response.ReadAsync<InboundHookSettings>());
    }

    private Task<HttpResponseMessage> DeliverAsync(string workspaceId, string? authorization, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/webhooks/procore/{workspaceId}") { Content = Json.Body(body) };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return fixture.App.AnonymousClient().SendAsync(request);
    }

    [Fact]
    public async Task Deliveries_are_checked_stored_once_and_acknowledged()
    {
        var (id, hook) = await ConfiguredAsync();
        Assert.Equal($"/api/webhooks/procore/{id}", hook.DeliveryUrl.AbsolutePath);
        Assert.StartsWith("Bearer ", hook.Authorization, StringComparison.Ordinal);

        var first = await DeliverAsync(id, hook.Authorization, Delivery("01J0000000000000000000000A", 1));
        var again = await DeliverAsync(id, hook.Authorization, Delivery("01J0000000000000000000000A", 1));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.False((await first.ReadAsync<DeliveryAck>()).Duplicate);
        Assert.True((await again.ReadAsync<DeliveryAck>()).Duplicate);
        var table = await fixture.App.Service<TableStore>().GetAsync(InboundWebhookStore.DeliveriesTable, default);
        var rows = 0;
        await foreach (var _ in table.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == id))
        {
            rows++;
        }

        Assert.Equal(1, rows);
        Assert.DoesNotContain(fixture.App.Logs.Lines, l => l.Contains(hook.Authorization[7..], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Forged_missing_and_other_workspaces_authorization_values_are_refused_and_store_nothing()
    {
        var (id, hook) = await ConfiguredAsync();
        var (otherId, otherHook) = await ConfiguredAsync();
        foreach (var authorization in new[] { null, "", "Bearer forged", hook.Authorization + "x", otherHook.Authorization, hook.Authorization.ToUpperInvariant() })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await DeliverAsync(id, authorization, Delivery("01J0000000000000000000000B", 2))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await DeliverAsync("ws-never-configured", hook.Authorization, Delivery("01J0000000000000000000000C", 3))).StatusCode);
        var projects = await (await fixture.Client.GetAsync($"/api/workspaces/{id}/projects")).ReadAsync<List<KnownProject>>();
        Assert.Empty(projects);
        Assert.NotEqual(id, otherId);
    }

    [Fact]
    public async Task Project_created_events_reveal_projects_the_app_cannot_see_yet()
    {
        var (id, hook) = await ConfiguredAsync(visibleProjects: 555);
        (await DeliverAsync(id, hook.Authorization, Delivery("01J0000000000000000000000D", 4, resourceId: 555))).EnsureSuccessStatusCode();
        (await DeliverAsync(id, hook.Authorization, Delivery("01J0000000000000000000000E", 5, resourceId: 777))).EnsureSuccessStatusCode();
        (await DeliverAsync(id, hook.Authorization, Delivery("01J0000000000000000000000F", 6, resource: "RFIs", resourceId: 999))).EnsureSuccessStatusCode();

        var projects = await (await fixture.Client.GetAsync($"/api/workspaces/{id}/projects")).ReadAsync<List<KnownProject>>();

        Assert.Equal([555L, 777L], projects.Select(p => p.ProjectId).Order());
        Assert.True(projects.Single(p => p.ProjectId == 555).VisibleToApp);
        Assert.False(projects.Single(p => p.ProjectId == 777).VisibleToApp);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("{}")]
    [InlineData("{\"ulid\": \"../../etc\"}")]
    [InlineData("[]")]
    public async Task Malformed_deliveries_with_the_right_authorization_are_refused(string body)
    {
        var (id, hook) = await ConfiguredAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/webhooks/procore/{id}") { Content = Json.Raw(body) };
        request.Headers.TryAddWithoutValidation("Authorization", hook.Authorization);
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.App.AnonymousClient().SendAsync(request)).StatusCode);
    }
}
