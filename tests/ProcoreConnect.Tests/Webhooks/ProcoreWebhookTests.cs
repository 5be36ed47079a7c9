using System.Net;
using System.Text.Json;
using ProcoreConnect.Storage;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Webhooks;
using ProcoreConnect.Workspaces;
using ProcoreSimulator.State;
using ProcoreSimulator.Webhooks;

namespace ProcoreConnect.Tests.Webhooks;

public sealed class ProcoreWebhookTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    // Deliveries as Procore sends them, in each payload format (built by the simulator from Procore's documented examples).
    private static object Delivery(string format = "v2", string resource = "Projects", string eventType = "create", long resourceId = 555, long companyId = 1001) =>
        WebhookPayloads.Build(new WebhookDeliveryRequest
        {
            Url = new Uri("http://unused"), Format = format, ResourceName = resource, EventType = eventType, ResourceId = resourceId, CompanyId = companyId, ProjectId = resourceId,
        }, DateTimeOffset.UtcNow)!;

    private async Task<(string Id, string Key, InboundHookSettings Hook)> ConfiguredAsync(params long[] permittedProjects)
    {
        var client = fixture.Simulator.Register() with { Companies = [new SimulatedCompany(1001, "Company 1001", permittedProjects)] };
        fixture.Simulator.State.Register(client);
        var id = await fixture.CreateWorkspaceAsync(client, "client_credentials");
        var response = await fixture.Client.PutAsync($"/api/workspaces/{id}/webhooks/procore", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var key = (await fixture.App.Service<WorkspaceRepository>().FindAsync(id, default))!.Key;
        return (id, key, await response.ReadAsync<InboundHookSettings>());
    }

    private Task<HttpResponseMessage> DeliverAsync(string workspaceKey, string? authorization, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/webhooks/procore/{workspaceKey}") { Content = Json.Body(body) };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return fixture.App.AnonymousClient().SendAsync(request);
    }

    private async Task<int> StoredDeliveriesAsync(string key)
    {
        var table = await fixture.App.Service<TableStore>().GetAsync(InboundWebhookStore.DeliveriesTable, default);
        var rows = 0;
        await foreach (var _ in table.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == key))
        {
            rows++;
        }

        return rows;
    }

    /// <summary>
    /// A v3 delivery padded with a <c>related_resources</c> entry to exactly <paramref name="length"/>
    /// characters of JSON; with <paramref name="pairAt"/>, a character outside the BMP (two UTF-16
    /// characters) starts at that index.
    /// </summary>
    private static string LargeDelivery(int length, int? pairAt = null)
    {
        var start = JsonSerializer.Serialize(Delivery("v3"))[..^1] + ",\"related_resources\":[{\"name\":\"";
        const string end = "\"}]}";
        var padding = new string('x', length - start.Length - end.Length);
        if (pairAt is { } at)
        {
            padding = padding[..(at - start.Length)] + "🏗" + padding[(at - start.Length + 2)..];
        }

        var body = start + padding + end;
        Assert.Equal(length, body.Length);
        return body;
    }

    private Task<HttpResponseMessage> DeliverRawAsync(string workspaceKey, string authorization, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/webhooks/procore/{workspaceKey}") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return fixture.App.AnonymousClient().SendAsync(request);
    }

    [Theory]
    [InlineData(40_000, null)]
    [InlineData(65_000, null)] // JsonBody.MaxBytes is 65,536 bytes
    [InlineData(40_000, 31_999)] // a surrogate pair across the end of the first 32,000-character part
    public async Task A_large_delivery_is_acknowledged_and_stored_whole(int length, int? pairAt)
    {
        // Table Storage refuses a string property over 32K characters: this answered 500, and Procore retried it for 12 hours.
        var (_, key, hook) = await ConfiguredAsync();
        var body = LargeDelivery(length, pairAt);

        var response = await DeliverRawAsync(key, hook.Authorization, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var table = await fixture.App.Service<TableStore>().GetAsync(InboundWebhookStore.DeliveriesTable, default);
        var row = Assert.Single(table.Query<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == key));
        var stored = row.GetString("Payload") + row.GetString("PayloadPart2") + row.GetString("PayloadPart3");
        Assert.Equal(body, stored);
        Assert.Equal(body.Length, row.GetInt32("PayloadLength"));
        Assert.True((await DeliverRawAsync(key, hook.Authorization, body)).IsSuccessStatusCode);
    }

    [Fact]
    public async Task A_delivery_over_the_body_limit_is_refused_and_stores_nothing()
    {
        var (_, key, hook) = await ConfiguredAsync();

        var response = await DeliverRawAsync(key, hook.Authorization, LargeDelivery(ProcoreConnect.Http.JsonBody.MaxBytes + 1));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("body", out _));
        Assert.Equal(0, await StoredDeliveriesAsync(key));
    }

    [Theory]
    [InlineData("v2")]
    [InlineData("v3")]
    [InlineData("v4")]
    public async Task Deliveries_in_each_payload_format_are_checked_stored_once_and_acknowledged(string format)
    {
        var (_, key, hook) = await ConfiguredAsync();
        Assert.Equal($"/api/webhooks/procore/{key}", hook.DeliveryUrl.AbsolutePath);
        Assert.StartsWith("Bearer ", hook.Authorization, StringComparison.Ordinal);
        var delivery = Delivery(format);

        var first = await DeliverAsync(key, hook.Authorization, delivery);
        var again = await DeliverAsync(key, hook.Authorization, delivery);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.False((await first.ReadAsync<DeliveryAck>()).Duplicate);
        Assert.True((await again.ReadAsync<DeliveryAck>()).Duplicate);
        Assert.Equal(1, await StoredDeliveriesAsync(key));
        Assert.DoesNotContain(fixture.App.Logs.Lines, l => l.Contains(hook.Authorization[7..], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Forged_missing_and_other_workspaces_authorization_values_are_refused_and_store_nothing()
    {
        var (id, key, hook) = await ConfiguredAsync();
        var (otherId, _, otherHook) = await ConfiguredAsync();
        foreach (var authorization in new[] { null, "", "Bearer forged", hook.Authorization + "x", otherHook.Authorization, hook.Authorization.ToUpperInvariant() })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await DeliverAsync(key, authorization, Delivery())).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await DeliverAsync("ws-never-configured-0123456789abcdef", hook.Authorization, Delivery())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await DeliverAsync(id, hook.Authorization, Delivery())).StatusCode); // the id is not the key
        var projects = await (await fixture.Client.GetAsync($"/api/workspaces/{id}/projects")).ReadAsync<List<KnownProject>>();
        Assert.Empty(projects);
        Assert.Equal(0, await StoredDeliveriesAsync(key));
        Assert.NotEqual(id, otherId);
    }

    [Theory]
    [InlineData("v2")]
    [InlineData("v4")]
    public async Task Project_created_events_reveal_projects_the_app_cannot_see_yet(string format)
    {
        var (id, key, hook) = await ConfiguredAsync(permittedProjects: 555);
        (await DeliverAsync(key, hook.Authorization, Delivery(format, resourceId: 555))).EnsureSuccessStatusCode();
        (await DeliverAsync(key, hook.Authorization, Delivery(format, resourceId: 777))).EnsureSuccessStatusCode();
        (await DeliverAsync(key, hook.Authorization, Delivery(format, resource: "RFIs", resourceId: 999))).EnsureSuccessStatusCode();

        var projects = await (await fixture.Client.GetAsync($"/api/workspaces/{id}/projects")).ReadAsync<List<KnownProject>>();

        Assert.Equal([555L, 777L], projects.Select(p => p.ProjectId).Order());
        Assert.True(projects.Single(p => p.ProjectId == 555).VisibleToApp);
        Assert.False(projects.Single(p => p.ProjectId == 777).VisibleToApp);
    }

    [Theory]
    [InlineData("v2", 1002L)]
    [InlineData("v3", 1002L)]
    [InlineData("v4", 1002L)]
    [InlineData("v2", null)]
    [InlineData("v4", null)]
    public async Task A_delivery_for_another_company_or_none_is_refused_naming_company_id_and_stores_nothing(string format, long? companyId)
    {
        // Procore signs nothing: whoever holds a hook's Authorization value must not store another company's events in this workspace.
        var (id, key, hook) = await ConfiguredAsync();
        var body = JsonSerializer.SerializeToNode(Delivery(format, companyId: companyId ?? 1001))!.AsObject();
        if (companyId is null)
        {
            body.Remove("company_id");
        }

        var response = await DeliverAsync(key, hook.Authorization, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var message = (await response.ReadJsonAsync()).GetProperty("errors").GetProperty("company_id")[0].GetString();
        Assert.Contains("1001", message, StringComparison.Ordinal);
        Assert.Equal(0, await StoredDeliveriesAsync(key));
        Assert.Empty(await (await fixture.Client.GetAsync($"/api/workspaces/{id}/projects")).ReadAsync<List<KnownProject>>());
        // The same delivery for the workspace's own company is stored.
        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(key, hook.Authorization, Delivery(format))).StatusCode);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("{}")]
    [InlineData("{\"ulid\": \"../../etc\"}")]
    [InlineData("[]")]
    [InlineData("{\"id\": \"01JMYXMZRBVKK0PC6XS8SA4QRE\", \"resource_id\": \"not-a-number\", \"reason\": \"update\"}")]
    [InlineData("{\"id\": \"01JMYXMZRBVKK0PC6XS8SA4QRE\", \"company_id\": {\"$gt\": 0}}")]
    [InlineData("{\"id\": 12, \"resource_name\": 5}")]
    [InlineData("{\"id\": -3}")]
    [InlineData("{\"id\": \"has space\"}")]
    public async Task Malformed_deliveries_with_the_right_authorization_are_refused_and_store_nothing(string body)
    {
        var (_, key, hook) = await ConfiguredAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/webhooks/procore/{key}") { Content = Json.Raw(body) };
        request.Headers.TryAddWithoutValidation("Authorization", hook.Authorization);
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.App.AnonymousClient().SendAsync(request)).StatusCode);
        Assert.Equal(0, await StoredDeliveriesAsync(key));
    }

    [Fact]
    public void The_formats_differ_as_procore_documents()
    {
        var v2 = JsonSerializer.SerializeToElement(Delivery("v2"));
        var v3 = JsonSerializer.SerializeToElement(Delivery("v3"));
        var v4 = JsonSerializer.SerializeToElement(Delivery("v4"));

        Assert.Equal(JsonValueKind.Number, v2.GetProperty("id").ValueKind);
        Assert.False(v2.TryGetProperty("related_resources", out _));
        Assert.Equal(JsonValueKind.Array, v3.GetProperty("related_resources").ValueKind);
        Assert.Equal(JsonValueKind.String, v4.GetProperty("id").ValueKind);
        Assert.Equal(JsonValueKind.String, v4.GetProperty("resource_id").ValueKind);
        Assert.True(v4.TryGetProperty("reason", out _) && v4.TryGetProperty("resource_type", out _));
        Assert.False(v4.TryGetProperty("ulid", out _) || v4.TryGetProperty("event_type", out _) || v4.TryGetProperty("metadata", out _));
    }
}
