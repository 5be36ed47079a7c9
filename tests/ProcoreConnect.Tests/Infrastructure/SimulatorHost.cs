using System.Net.Http.Json;
using ProcoreSimulator;
using ProcoreSimulator.State;

namespace ProcoreConnect.Tests.Infrastructure;

/// <summary>The Procore simulator on a free loopback port, with its controls at hand.</summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SimulatorHost(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        Http = new HttpClient { BaseAddress = baseUrl };
    }

    public Uri BaseUrl { get; }

    public HttpClient Http { get; }

    public SimulatorState State => _app.Services.GetRequiredService<SimulatorState>();

    /// <summary>Every request the simulator received, as it arrived.</summary>
    public ApiRequestLog Received => _app.Services.GetRequiredService<ApiRequestLog>();

    /// <summary>Starts it; <paramref name="seedDemoClients"/> registers the local run's demo apps, as <c>scripts/start-local.sh</c> gets them.</summary>
    public static async Task<SimulatorHost> StartAsync(bool seedDemoClients = false)
    {
        var app = ProcoreSimulatorApp.Create(["--urls", "http://127.0.0.1:0"], seedDemoClients);
        await app.StartAsync();
        return new SimulatorHost(app, new Uri(app.Urls.Single()));
    }

    /// <summary>App settings pointing every Procore environment at this simulator.</summary>
    public Dictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?>();
        foreach (var environment in new[] { "Production", "Sandbox", "Monthly", "Federal" })
        {
            settings[$"Procore:{environment}:LoginBaseUrl"] = BaseUrl.ToString();
            settings[$"Procore:{environment}:ApiBaseUrl"] = BaseUrl.ToString();
        }

        return settings;
    }

    public SimulatedClient Register(bool hasPermissions = true, params long[] companies)
    {
        var client = new SimulatedClient
        {
            ClientId = "app-" + Guid.NewGuid().ToString("N")[..8],
            ClientSecret = Connections.NewSecret(),
            // A user (code flow) belongs to these companies; a DMSA (client credentials) is installed in
            // them, with one permitted project each.
            Companies = [.. (companies.Length == 0 ? [1001L] : companies).Select(id => new SimulatedCompany(id, $"Company {id}", [id * 10]))],
            HasPermissions = hasPermissions,
        };
        State.Register(client);
        return client;
    }

    /// <summary>
    /// A grant issued outside this service, as another broker would hold it: a person signed in
    /// through <paramref name="client"/> elsewhere. Answers its access and refresh tokens.
    /// </summary>
    public (string AccessToken, string RefreshToken) GrantElsewhere(SimulatedClient client)
    {
        const string elsewhere = "https://other-broker.example.com/callback";
        var outcome = State.ExchangeCode(client, State.IssueCode(client.ClientId, elsewhere, null), elsewhere, null);
        var body = System.Text.Json.JsonSerializer.SerializeToElement(outcome.Body);
        return (body.GetProperty("access_token").GetString()!, body.GetProperty("refresh_token").GetString()!);
    }

    public async Task<SimulatorStats> StatsAsync() => (await Http.GetFromJsonAsync<SimulatorStats>("/_simulator/stats"))!;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.DisposeAsync();
    }
}
