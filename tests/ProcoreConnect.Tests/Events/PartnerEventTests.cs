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
        var record = Assert.Single(events.EnumerateArray());
        Assert.Equal("delivered", record.GetProperty("status").GetString());
        Assert.Equal(3, record.GetProperty("attempts").GetInt32());
        Assert.Equal("connected", record.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("http://example.com/hook")]
    [InlineData("https://10.0.0.5/hook")]
    [InlineData("https://169.254.169.254/latest")]
    [InlineData("https://user:pass@example.com/hook")]
    [InlineData("ftp://example.com/hook")]
    [InlineData("not a url")]
    public async Task Unsafe_webhook_urls_are_refused(string url)
    {
        var client = fixture.App.ClientFor("partner-" + Guid.NewGuid().ToString("N")[..8]);
        var response = await client.PutAsync("/api/partner/webhook", Json.Body(new { url }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/partner/webhook")).StatusCode);
    }
}
