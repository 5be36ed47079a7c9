using System.Net;
using System.Text.Json;
using ProcoreConnect.Events;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Events;

/// <summary>Events are recorded from the first moment, listed, sent again when asked, and about deletes and moves too.</summary>
public sealed class EventHistoryTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>, IAsyncLifetime
{
    private const string MergePatch = "application/merge-patch+json";

    private EventReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await EventReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private HttpClient NewPartner() => fixture.App.ClientFor("partner-" + Guid.NewGuid().ToString("N")[..8], ProcoreFixture.NoRedirectsNoCookies);

    private async Task HookAsync(HttpClient partner) =>
        Assert.Equal(HttpStatusCode.OK, (await partner.PutAsync("/api/partner/webhook", Json.Body(new { url = _receiver.Url }))).StatusCode);

    private static async Task<JsonElement[]> EventsAsync(HttpClient partner, string query = "")
    {
        var response = await partner.GetAsync("/api/partner/events" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.ReadJsonAsync()).GetProperty("items").EnumerateArray()];
    }

    private Task<int> DeliverAsync() => fixture.App.Service<EventDispatcher>().DeliverDueAsync(default);

    private string[] ReceivedIds() =>
        [.. _receiver.Received.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("id").GetString()!)];

    [Fact]
    public async Task Events_are_recorded_without_a_webhook_and_a_webhook_registered_later_gets_those_it_missed()
    {
        var partner = NewPartner();
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register(), "client_credentials", caller: partner);
        (await partner.GetAsync($"/api/workspaces/{id}/token")).EnsureSuccessStatusCode();

        var recorded = Assert.Single(await EventsAsync(partner));
        Assert.Equal("connected", recorded.GetProperty("type").GetString());
        Assert.Equal("not_sent", recorded.GetProperty("status").GetString());
        Assert.Equal(1001, recorded.GetProperty("data").GetProperty("companyId").GetInt64());
        var since = Uri.EscapeDataString(fixture.Clock.GetUtcNow().AddMinutes(-5).ToString("O"));
        Assert.Equal(HttpStatusCode.Conflict, (await partner.PostAsync($"/api/partner/events/redeliver?since={since}", null)).StatusCode);
        Assert.Equal(0, await DeliverAsync());

        await HookAsync(partner);
        var asked = await partner.PostAsync($"/api/partner/events/redeliver?since={since}", null);

        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        Assert.Equal(1, (await asked.ReadJsonAsync()).GetProperty("queued").GetInt32());
        Assert.Equal(1, await DeliverAsync());
        Assert.Equal([recorded.GetProperty("eventId").GetString()!], ReceivedIds());
        Assert.Equal("delivered", Assert.Single(await EventsAsync(partner)).GetProperty("status").GetString());
        // Delivered now, so not missed any more.
        Assert.Equal(0, (await (await partner.PostAsync($"/api/partner/events/redeliver?since={since}", null)).ReadJsonAsync()).GetProperty("queued").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, (await partner.PostAsync("/api/partner/events/redeliver?since=yesterday", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await partner.PostAsync("/api/partner/events/redeliver", null)).StatusCode);
    }

    [Fact]
    public async Task One_event_is_sent_again_on_request_and_another_partners_events_are_neither_listed_nor_redelivered()
    {
        var a = NewPartner();
        await HookAsync(a);
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register(), "client_credentials", caller: a);
        (await a.GetAsync($"/api/workspaces/{id}/token")).EnsureSuccessStatusCode();
        Assert.Equal(1, await DeliverAsync());
        var eventId = Assert.Single(await EventsAsync(a)).GetProperty("eventId").GetString()!;

        var again = await a.PostAsync($"/api/partner/events/{eventId}/redeliver", null);

        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal("pending", (await again.ReadJsonAsync()).GetProperty("status").GetString());
        Assert.Equal(1, await DeliverAsync());
        Assert.Equal([eventId, eventId], ReceivedIds());

        var b = NewPartner();
        await HookAsync(b);
        Assert.Empty(await EventsAsync(b));
        Assert.Equal(HttpStatusCode.NotFound, (await b.PostAsync($"/api/partner/events/{eventId}/redeliver", null)).StatusCode);
        var since = Uri.EscapeDataString(fixture.Clock.GetUtcNow().AddDays(-1).ToString("O"));
        Assert.Equal(0, (await (await b.PostAsync($"/api/partner/events/redeliver?since={since}", null)).ReadJsonAsync()).GetProperty("queued").GetInt32());
        Assert.Equal(0, await DeliverAsync());
        Assert.Equal(2, _receiver.Received.Count);
        Assert.Equal(HttpStatusCode.NotFound, (await a.PostAsync("/api/partner/events/evt_not-an-id/redeliver", null)).StatusCode);
    }

    [Fact]
    public async Task The_list_pages_newest_first()
    {
        var partner = NewPartner();
        var partnerId = await PartnerIdAsync(partner);
        var publisher = fixture.App.Service<EventPublisher>();
        for (var i = 0; i < 5; i++)
        {
            await publisher.PublishAsync(partnerId, "ws-" + i, EventTypes.Connected, new { companyId = i }, default);
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var response = await (await partner.GetAsync("/api/partner/events?pageSize=2" + (token is null ? "" : "&continuationToken=" + token))).ReadJsonAsync();
            seen.AddRange(response.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("workspaceId").GetString()!));
            token = response.GetProperty("continuationToken").GetString();
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(["ws-4", "ws-3", "ws-2", "ws-1", "ws-0"], seen);
        Assert.Equal(HttpStatusCode.BadRequest, (await partner.GetAsync("/api/partner/events?pageSize=0")).StatusCode);
    }

    [Fact]
    public async Task A_deleted_workspace_sends_workspace_deleted_carrying_its_audit_trail_and_no_secret()
    {
        var partner = NewPartner();
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register(), caller: partner);
        await new Browser(partner, fixture.Simulator.BaseUrl).ConnectAsync(id);
        var access = (await (await partner.GetAsync($"/api/workspaces/{id}/token")).ReadJsonAsync()).GetProperty("accessToken").GetString()!;
        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/workspaces/{id}/connection") { Content = Json.Raw("""{"tags":{"crm":"A-1"}}""", MergePatch) };
        Assert.Equal(HttpStatusCode.OK, (await partner.SendAsync(patch)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await partner.DeleteAsync($"/api/workspaces/{id}/connection")).StatusCode);

        var deleted = (await EventsAsync(partner)).Single(e => e.GetProperty("type").GetString() == "workspace.deleted");
        Assert.Equal(id, deleted.GetProperty("workspaceId").GetString());
        var data = deleted.GetProperty("data");
        Assert.Equal("A-1", data.GetProperty("tags").GetProperty("crm").GetString());
        var history = data.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString()).ToList();
        Assert.Equal(["workspace.deleted", "workspace.updated"], history.Take(2));
        Assert.Equal("workspace.created", history[^1]);
        Assert.False(data.GetProperty("historyTruncated").GetBoolean());
        Assert.DoesNotContain(access, data.GetRawText(), StringComparison.Ordinal);
        // The trail is in the event, not behind the deleted workspace's routes.
        Assert.Equal(HttpStatusCode.NotFound, (await partner.GetAsync($"/api/workspaces/{id}/audit")).StatusCode);
    }

    [Fact]
    public async Task Moving_a_connected_workspace_to_another_environment_sends_workspace_disconnected_and_a_tag_change_does_not()
    {
        var partner = NewPartner();
        var id = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register(), caller: partner);
        await new Browser(partner, fixture.Simulator.BaseUrl).ConnectAsync(id);
        using var tags = new HttpRequestMessage(HttpMethod.Patch, $"/api/workspaces/{id}/connection") { Content = Json.Raw("""{"tags":{"crm":"A-1"}}""", MergePatch) };
        Assert.Equal(HttpStatusCode.OK, (await partner.SendAsync(tags)).StatusCode);
        Assert.DoesNotContain(await EventsAsync(partner), e => e.GetProperty("type").GetString() == "workspace.disconnected");

        using var move = new HttpRequestMessage(HttpMethod.Patch, $"/api/workspaces/{id}/connection") { Content = Json.Raw("""{"environment":"production"}""", MergePatch) };
        Assert.Equal(HttpStatusCode.OK, (await partner.SendAsync(move)).StatusCode);

        var disconnected = Assert.Single(await EventsAsync(partner), e => e.GetProperty("type").GetString() == "workspace.disconnected");
        Assert.Equal(id, disconnected.GetProperty("workspaceId").GetString());
        Assert.Equal("environment_changed", disconnected.GetProperty("data").GetProperty("reason").GetString());
        Assert.Equal("sandbox", disconnected.GetProperty("data").GetProperty("previous").GetProperty("environment").GetString());
    }

    [Fact]
    public async Task The_openapi_document_describes_every_event_and_its_signature_headers_under_webhooks()
    {
        var document = await fixture.App.AnonymousClient().GetStringAsync(new Uri("/api/openapi.json", UriKind.Relative));
        using var json = JsonDocument.Parse(document);
        var webhooks = json.RootElement.GetProperty("webhooks");
        var types = typeof(EventTypes).GetFields().Select(f => (string)f.GetValue(null)!).ToList();

        Assert.Equal(types.Order(StringComparer.Ordinal), webhooks.EnumerateObject().Select(w => w.Name).Order(StringComparer.Ordinal));
        foreach (var type in types)
        {
            var post = webhooks.GetProperty(type).GetProperty("post");
            Assert.Equal(
                [EventSignature.EventIdHeader, EventSignature.TimestampHeader, EventSignature.Header],
                post.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
            var body = post.GetProperty("requestBody").GetProperty("content").GetProperty("application/json");
            Assert.Equal(type, body.GetProperty("schema").GetProperty("properties").GetProperty("type").GetProperty("const").GetString());
            Assert.Equal(type, body.GetProperty("example").GetProperty("type").GetString());
        }

        var patch = json.RootElement.GetProperty("paths").GetProperty("/api/workspaces/{id}/connection").GetProperty("patch");
        Assert.True(patch.GetProperty("requestBody").GetProperty("content").TryGetProperty(MergePatch, out _));
    }

    private async Task<string> PartnerIdAsync(HttpClient client)
    {
        var key = client.DefaultRequestHeaders.GetValues(ProcoreConnect.Security.ApiKeyAuthenticationHandler.Header).Single();
        return (await fixture.App.Service<ProcoreConnect.Security.PartnerKeyStore>().VerifyAsync(key, default)).PartnerId!;
    }
}
