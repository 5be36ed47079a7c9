using System.Net;
using System.Net.Sockets;
using ProcoreConnect.Events;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Events;

/// <summary>
/// Partner event deliveries connect only to public addresses, checked on the address DNS gives at
/// connect time: a public-looking name that resolves to loopback is refused before any byte is
/// sent, with the development switch off. Nothing here leaves loopback: the names resolve through
/// a resolver the test controls, and the only listener is on 127.0.0.1.
/// </summary>
public sealed class PartnerWebhookConnectTests : IAsyncLifetime
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly TestResolver _dns = new();
    private int _connections;
    private AppFactory _app = null!;

    public Task InitializeAsync()
    {
        _listener.Start();
        _ = AcceptAsync();
        _app = AppFactory.With(new Dictionary<string, string?> { ["Events:AllowInsecureLoopback"] = "false" })
            .WithServices(s => s.AddSingleton<HostAddressResolver>(_dns));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _listener.Stop();
        await _app.DisposeAsync();
    }

    private int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    // A public address the resolver may answer with: checked, never connected to (the answer changes before connecting).
    private static IPAddress Public { get; } = IPAddress.Parse("20.50.2.1");

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::1")]
    public async Task A_name_resolving_to_loopback_is_refused_at_connect_time(string address)
    {
        _dns.Answer("hooks.partner.example", [Public], [IPAddress.Parse(address)]);

        var record = await DeliverOnceAsync($"https://hooks.partner.example:{Port}/hook");

        Assert.Equal(0, Volatile.Read(ref _connections));
        Assert.Equal(EventDeliveryClient.FailedReason, record.GetProperty("lastError").GetString());
        Assert.Contains(_app.Logs.Lines, l => l.Contains("resolves to an address that is not public", StringComparison.Ordinal));
    }

    [Fact]
    public async Task One_internal_address_among_the_answers_refuses_the_name()
    {
        // DNS answers in any order, and a client may try each: the name is refused whole.
        _dns.Answer("mixed.partner.example", [Public], [Public, IPAddress.Loopback]);

        await DeliverOnceAsync($"https://mixed.partner.example:{Port}/hook");

        Assert.Equal(0, Volatile.Read(ref _connections));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.0.0.7")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.1.1")]
    [InlineData("fd00::7")]
    [InlineData("64:ff9b::a00:7")]
    public async Task A_name_resolving_to_an_internal_address_now_is_refused_when_registered(string address)
    {
        _dns.Answer("internal.partner.example", [IPAddress.Parse(address)]);
        var client = _app.ClientFor("partner-" + Guid.NewGuid().ToString("N")[..8]);

        var response = await client.PutAsync("/api/partner/webhook", Json.Body(new { url = "https://internal.partner.example/hook" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("url", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/partner/webhook")).StatusCode);
    }

    [Fact]
    public async Task The_development_switch_allows_loopback_and_nothing_else()
    {
        await using var app = AppFactory.With(new Dictionary<string, string?> { ["Events:AllowInsecureLoopback"] = "true" })
            .WithServices(s => s.AddSingleton<HostAddressResolver>(_dns));
        var connector = app.Service<PublicAddressConnector>();

        Assert.True(connector.IsAllowed(IPAddress.Loopback));
        Assert.True(connector.IsAllowed(IPAddress.IPv6Loopback));
        Assert.False(connector.IsAllowed(IPAddress.Parse("10.0.0.1")));
        Assert.False(connector.IsAllowed(IPAddress.Parse("169.254.169.254")));
        Assert.False(_app.Service<PublicAddressConnector>().IsAllowed(IPAddress.Loopback));
    }

    /// <summary>Registers the URL for a new partner, publishes one event, delivers it once; answers its record.</summary>
    private async Task<System.Text.Json.JsonElement> DeliverOnceAsync(string url)
    {
        var partner = "partner-" + Guid.NewGuid().ToString("N")[..8];
        var client = _app.ClientFor(partner);
        // A public-looking https name passes validation: only connecting tells where it leads.
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync("/api/partner/webhook", Json.Body(new { url }))).StatusCode);
        await _app.Service<EventPublisher>().PublishAsync(partner, "ws-1", EventTypes.Connected, null, default);

        Assert.Equal(0, await _app.Service<EventDispatcher>().DeliverDueAsync(default));

        return Assert.Single((await (await client.GetAsync("/api/partner/events")).ReadJsonAsync()).GetProperty("items").EnumerateArray());
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                using var connection = await _listener.AcceptTcpClientAsync();
                Interlocked.Increment(ref _connections);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }
}
