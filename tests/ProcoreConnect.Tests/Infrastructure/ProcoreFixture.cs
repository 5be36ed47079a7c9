using Microsoft.AspNetCore.Mvc.Testing;
using ProcoreSimulator.State;

namespace ProcoreConnect.Tests.Infrastructure;

/// <summary>The app wired to a Procore simulator, with a clock the test moves.</summary>
public class ProcoreFixture : IAsyncLifetime
{
    public SimulatorHost Simulator { get; private set; } = null!;

    public AppFactory App { get; private set; } = null!;

    public TestClock Clock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>How often a caller waiting for another holder's refresh lease tries again (RefreshLeaseStore's poll).</summary>
    public static readonly TimeSpan LeasePoll = TimeSpan.FromMilliseconds(250);

    public HttpClient Client { get; private set; } = null!;

    /// <summary>Settings of the fixture's own (on top of the simulator's).</summary>
    protected virtual IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Events:AllowInsecureLoopback"] = "true",
    };

    public virtual async Task InitializeAsync()
    {
        Simulator = await SimulatorHost.StartAsync();
        var settings = Simulator.Settings();
        foreach (var (key, value) in ExtraSettings)
        {
            settings[key] = value;
        }

        App = AppFactory.With(settings).WithServices(s => s.AddSingleton<TimeProvider>(Clock));
        Client = Start(App);
        await AllowReturnOriginAsync(Client, ReturnOrigin);
    }

    /// <summary>The return origin the default partner allows (its own setting).</summary>
    public const string ReturnOrigin = "https://partner.example.com";

    /// <summary>Sets <paramref name="partner"/>'s allowed return origins to <paramref name="origins"/>.</summary>
    public static async Task AllowReturnOriginAsync(HttpClient partner, params string[] origins)
    {
        var response = await partner.PutAsync("/api/partner/settings", Json.Body(new { allowedReturnOrigins = origins }));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Starts the app and answers the client the tests use (the in-process test server by default).</summary>
    protected virtual HttpClient Start(AppFactory app) => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public virtual async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Simulator.DisposeAsync();
    }

    /// <summary>A new browser (no cookies yet) whose partner is the default one.</summary>
    public virtual Browser Browser() => new(App.ClientFor(AppFactory.DefaultPartner, NoRedirectsNoCookies), Simulator.BaseUrl);

    /// <summary>Client options of a test that looks at each answer itself: redirects and cookies are its own business.</summary>
    public static readonly WebApplicationFactoryClientOptions NoRedirectsNoCookies = new() { AllowAutoRedirect = false, HandleCookies = false };

    /// <summary>
    /// Creates (or updates) the default partner's OAuth client for an app registered at the
    /// simulator, named after its client id (with <c>-cc</c> for client credentials); returns the name.
    /// </summary>
    public async Task<string> CreateClientAsync(SimulatedClient client, string authFlow = "authorization_code", HttpClient? caller = null)
    {
        var name = client.ClientId + (authFlow == "client_credentials" ? "-cc" : "");
        var body = Connections.Client(client.ClientSecret, authFlow, client.ClientId).Without("redirectUri");
        var response = await (caller ?? Client).PutAsync($"/api/oauth-clients/{name}", Json.Body(body));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return name;
    }

    /// <summary>Creates a workspace on (an OAuth client for) an app registered at the simulator.</summary>
    public async Task<string> CreateWorkspaceAsync(
        SimulatedClient client, string authFlow = "authorization_code", long companyId = 1001, string environment = "sandbox", HttpClient? caller = null, string? id = null)
    {
        var oauthClient = await CreateClientAsync(client, authFlow, caller);
        id ??= Connections.NewId();
        var body = Connections.Valid(oauthClient).With("companyId", companyId).With("environment", environment);
        var response = await (caller ?? Client).PutAsync($"/api/workspaces/{id}/connection", Json.Body(body));
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return id;
    }

    /// <summary>Creates a workspace and connects it through the browser flow.</summary>
    public async Task<string> ConnectedWorkspaceAsync(SimulatedClient client)
    {
        var id = await CreateWorkspaceAsync(client);
        var (callback, _) = await Browser().ConnectAsync(id);
        Assert.Equal(System.Net.HttpStatusCode.OK, callback.StatusCode);
        return id;
    }
}
