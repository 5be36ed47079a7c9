using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Time.Testing;
using ProcoreSimulator.State;

namespace ProcoreConnect.Tests.Infrastructure;

/// <summary>The app wired to a Procore simulator, with a clock the test moves.</summary>
public class ProcoreFixture : IAsyncLifetime
{
    public SimulatorHost Simulator { get; private set; } = null!;

    public AppFactory App { get; private set; } = null!;

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public HttpClient Client { get; private set; } = null!;

    /// <summary>Settings of the fixture's own (on top of the simulator's).</summary>
    protected virtual IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["OAuth:AllowedReturnOrigins:0"] = "https://partner.example.com",
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
    }

    /// <summary>Starts the app and answers the client the tests use (the in-process test server by default).</summary>
    protected virtual HttpClient Start(AppFactory app) => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public virtual async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Simulator.DisposeAsync();
    }

    public Browser Browser() => new(Client, Simulator.BaseUrl);

    /// <summary>Creates a workspace for a client registered at the simulator.</summary>
    public async Task<string> CreateWorkspaceAsync(SimulatedClient client, string authFlow = "authorization_code", long companyId = 1001)
    {
        var id = Connections.NewId();
        var body = Connections.Valid(client.ClientSecret)
            .With("clientId", client.ClientId)
            .With("authFlow", authFlow)
            .With("companyId", companyId)
            .Without("redirectUri");
        var response = await Client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(body));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
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
