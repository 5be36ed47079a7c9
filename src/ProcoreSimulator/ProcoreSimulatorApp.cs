using ProcoreSimulator.Admin;
using ProcoreSimulator.OAuth;
using ProcoreSimulator.Rest;
using ProcoreSimulator.State;

namespace ProcoreSimulator;

/// <summary>Builds the simulator; tests host it in-process on a loopback port.</summary>
public static class ProcoreSimulatorApp
{
    /// <summary>The client the local demo is seeded with (a user-facing app, code flow).</summary>
    public static readonly SimulatedClient DemoApp = new()
    {
        ClientId = "demo-app",
        ClientSecret = "demo-app-secret",
        Companies = [new SimulatedCompany(1001, "Demo Construction Co")],
    };

    /// <summary>The service account the local demo is seeded with (client credentials).</summary>
    public static readonly SimulatedClient DemoServiceAccount = new()
    {
        ClientId = "demo-service-account",
        ClientSecret = "demo-service-account-secret",
        Companies = [new SimulatedCompany(1001, "Demo Construction Co")],
    };

    /// <summary>Creates the app; <paramref name="seedDemoClients"/> registers the two demo clients.</summary>
    public static WebApplication Create(string[] args, bool seedDemoClients = true)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SimulatorState>();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        var app = builder.Build();
        if (seedDemoClients)
        {
            var state = app.Services.GetRequiredService<SimulatorState>();
            state.Register(DemoApp);
            state.Register(DemoServiceAccount);
        }

        app.MapOAuth();
        app.MapRest();
        app.MapSimulatorAdmin();
        app.MapGet("/", () => Results.Text("Procore simulator: /oauth/authorize, /oauth/token, /oauth/revoke, /rest/v1.0/me, /rest/v1.0/companies, /_simulator/*"));
        return app;
    }
}
