using Microsoft.AspNetCore.Hosting;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using ProcoreConnect.Events;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Events;

/// <summary>A partner's webhook receiver on loopback: records what arrives, answers the queued status codes first.</summary>
public sealed class EventReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EventReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<(IHeaderDictionary Headers, string Body)> Received { get; } = new();

    public ConcurrentQueue<int> Failures { get; } = new();

    /// <summary>When set, every delivery is answered 307 to this URL (a redirect keeps method, body and headers).</summary>
    public Uri? RedirectTo { get; set; }

    public Uri Url => new(_app.Urls.Single() + "/hooks/procore-connect");

    public static async Task<EventReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new EventReceiver(app);
        app.MapPost("/hooks/procore-connect", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            receiver.Received.Enqueue((new HeaderDictionary(request.Headers.ToDictionary(h => h.Key, h => h.Value)), body));
            if (receiver.RedirectTo is { } target)
            {
                return Results.Redirect(target.ToString(), permanent: false, preserveMethod: true);
            }

            return receiver.Failures.TryDequeue(out var status) ? Results.StatusCode(status) : Results.Ok();
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

public sealed class PartnerEventTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>, IAsyncLifetime
{
    private EventReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await EventReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    internal async Task<(HttpClient Client, string Secret)> PartnerWithWebhookAsync()
    {
        var client = fixture.App.ClientFor("partner-" + Guid.NewGuid().ToString("N")[..8], new() { AllowAutoRedirect = false });
        var response = await client.PutAsync("/api/partner/webhook", Json.Body(new { url = _receiver.Url }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var registration = await response.ReadAsync<PartnerWebhookRegistration>();
        Assert.StartsWith("whsec_", registration.SigningSecret, StringComparison.Ordinal);
        var view = await (await client.GetAsync("/api/partner/webhook")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(registration.SigningSecret, view, StringComparison.Ordinal);
        return (client, registration.SigningSecret);
    }

    [Fact]
    public async Task A_connected_event_is_signed_over_timestamp_and_body()
    {
        var (client, secret) = await PartnerWithWebhookAsync();
        var account = fixture.Simulator.Register();
        var id = await fixture.CreateWorkspaceAsync(account, "client_credentials", caller: client);
        (await client.GetAsync($"/api/workspaces/{id}/token")).EnsureSuccessStatusCode();

        Assert.Equal(1, await fixture.App.Service<EventDispatcher>().DeliverDueAsync(default));

        var (headers, body) = Assert.Single(_receiver.Received);
        using var json = System.Text.Json.JsonDocument.Parse(body);
        Assert.Equal("connected", json.RootElement.GetProperty("type").GetString());
        Assert.Equal(id, json.RootElement.GetProperty("workspaceId").GetString());
        var timestamp = headers[EventSignature.TimestampHeader].ToString();
        // Recomputed independently of EventSignature: HMAC-SHA256(secret, "{timestamp}.{body}") in hex.
        var expected = "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "." + body)));
        Assert.Equal(expected, headers[EventSignature.Header].ToString());
        Assert.Equal(json.RootElement.GetProperty("id").GetString(), headers[EventSignature.EventIdHeader].ToString());
        Assert.True(EventSignature.Verify(secret, timestamp, expected, body, fixture.Clock.GetUtcNow(), TimeSpan.FromMinutes(5)));
        Assert.False(EventSignature.Verify(secret, timestamp, expected, body + " ", fixture.Clock.GetUtcNow(), TimeSpan.FromMinutes(5)));
        Assert.False(EventSignature.Verify("whsec_other", timestamp, expected, body, fixture.Clock.GetUtcNow(), TimeSpan.FromMinutes(5)));
        Assert.False(EventSignature.Verify(secret, timestamp, expected, body, fixture.Clock.GetUtcNow().AddMinutes(10), TimeSpan.FromMinutes(5)));
        Assert.DoesNotContain(secret, string.Join('\n', fixture.App.Logs.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_receiver_gets_retries_with_backoff_and_the_record_shows_it()
    {
        var (client, _) = await PartnerWithWebhookAsync();
        _receiver.Failures.Enqueue(503);
        _receiver.Failures.Enqueue(500);
        var app = fixture.Simulator.Register();
        var id = await fixture.CreateWorkspaceAsync(app, caller: client);
        var (callback, _) = await new Browser(client, fixture.Simulator.BaseUrl).ConnectAsync(id);
        Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
        var dispatcher = fixture.App.Service<EventDispatcher>();

        Assert.Equal(0, await dispatcher.DeliverDueAsync(default)); // 503
        Assert.Equal(0, await dispatcher.DeliverDueAsync(default)); // not due yet: back-off
        fixture.Clock.Advance(EventDispatcher.Backoff(1));
        Assert.Equal(0, await dispatcher.DeliverDueAsync(default)); // 500
        fixture.Clock.Advance(EventDispatcher.Backoff(2));
        Assert.Equal(1, await dispatcher.DeliverDueAsync(default)); // 200

        Assert.Equal(3, _receiver.Received.Count);
        var events = await (await client.GetAsync("/api/partner/events")).ReadJsonAsync();
        var record = Assert.Single(events.GetProperty("items").EnumerateArray());
        Assert.Equal("delivered", record.GetProperty("status").GetString());
        Assert.Equal(3, record.GetProperty("attempts").GetInt32());
        Assert.Equal("connected", record.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("http://example.com/hook")]
    [InlineData("https://10.0.0.5/hook")]
    [InlineData("https://169.254.169.254/latest")]
    [InlineData("https://100.64.0.1/hook")]
    [InlineData("https://168.63.129.16/machine")]
    [InlineData("https://198.18.0.1/hook")]
    [InlineData("https://[64:ff9b::a9fe:a9fe]/hook")]
    [InlineData("https://[::ffff:169.254.169.254]/hook")]
    [InlineData("https://[fd00::1]/hook")]
    [InlineData("https://224.0.0.1/hook")]
    [InlineData("https://255.255.255.255/hook")]
    [InlineData("https://0.0.0.0/hook")]
    [InlineData("https://192.0.2.10/hook")]
    [InlineData("https://localhost./hook")]
    [InlineData("https://api.localhost/hook")]
    [InlineData("https://user:pass@example.com/hook")]
    [InlineData("ftp://example.com/hook")]
    [InlineData("not a url")]
    public async Task Unsafe_webhook_urls_are_refused(string url)
    {
        var client = fixture.App.ClientFor("partner-" + Guid.NewGuid().ToString("N")[..8]);
        var response = await client.PutAsync("/api/partner/webhook", Json.Body(new { url }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("url", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/partner/webhook")).StatusCode);
    }

    [Fact]
    public async Task A_redirect_is_not_followed_and_counts_as_a_failed_delivery()
    {
        // The redirect would carry the body and its signature to another host and port.
        await using var elsewhere = await EventReceiver.StartAsync();
        var (client, _) = await PartnerWithWebhookAsync();
        _receiver.RedirectTo = elsewhere.Url;
        var partnerId = await PartnerOfAsync(client);
        await fixture.App.Service<EventPublisher>().PublishAsync(partnerId, "ws-1", EventTypes.Connected, null, default);

        Assert.Equal(0, await fixture.App.Service<EventDispatcher>().DeliverDueAsync(default));

        Assert.Single(_receiver.Received);
        Assert.Empty(elsewhere.Received);
        var record = Assert.Single((await (await client.GetAsync("/api/partner/events")).ReadJsonAsync()).GetProperty("items").EnumerateArray());
        Assert.Equal(307, record.GetProperty("lastStatusCode").GetInt32());
        Assert.Equal("delivery failed", record.GetProperty("lastError").GetString());
    }

    [Fact]
    public async Task A_failed_delivery_is_recorded_as_delivery_failed_with_the_status_code_only()
    {
        // Connection refused, a TLS failure and a timeout must read alike: the record is shown to
        // the partner, who would otherwise learn which ports of a host are open.
        var client = fixture.App.ClientFor("partner-" + Guid.NewGuid().ToString("N")[..8]);
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync("/api/partner/webhook", Json.Body(new { url = AppFactory.ClosedPort + "hook" }))).StatusCode);
        var partnerId = await PartnerOfAsync(client);
        await fixture.App.Service<EventPublisher>().PublishAsync(partnerId, "ws-1", EventTypes.Connected, null, default);

        Assert.Equal(0, await fixture.App.Service<EventDispatcher>().DeliverDueAsync(default));

        var record = Assert.Single((await (await client.GetAsync("/api/partner/events")).ReadJsonAsync()).GetProperty("items").EnumerateArray());
        Assert.Equal("delivery failed", record.GetProperty("lastError").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, record.GetProperty("lastStatusCode").ValueKind);
    }

    private async Task<string> PartnerOfAsync(HttpClient client)
    {
        var key = client.DefaultRequestHeaders.GetValues(ProcoreConnect.Security.ApiKeyAuthenticationHandler.Header).Single();
        return (await fixture.App.Service<ProcoreConnect.Security.PartnerKeyStore>().VerifyAsync(key, default)).PartnerId!;
    }
}
