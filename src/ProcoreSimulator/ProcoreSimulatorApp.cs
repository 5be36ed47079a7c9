using ProcoreSimulator.Admin;
using ProcoreSimulator.OAuth;
using ProcoreSimulator.PartnerEvents;
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
        Companies = [new SimulatedCompany(1001, "Demo Construction Co", [5001, 5002])],
    };

    /// <summary>
    /// The DMSA app the local demo is seeded with (client credentials): installed in three
    /// companies, one of them without permitted projects.
    /// </summary>
    public static readonly SimulatedClient DemoDmsaApp = new()
    {
        ClientId = "demo-dmsa-app",
        ClientSecret = "demo-dmsa-app-secret",
        Companies =
        [
            new SimulatedCompany(1001, "Demo Construction Co", [5001, 5002]),
            new SimulatedCompany(1002, "Second Builders Inc", [6001]),
            new SimulatedCompany(1003, "Third Street Contractors", []),
        ],
    };

    /// <summary>Creates the app; <paramref name="seedDemoClients"/> registers the two demo clients.</summary>
    public static WebApplication Create(string[] args, bool seedDemoClients = true)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SimulatorState>();
        builder.Services.AddSingleton<ApiRequestLog>();
        builder.Services.AddSingleton<PartnerEventInbox>();
        builder.Services.AddHttpClient("webhooks", c => c.Timeout = TimeSpan.FromSeconds(5));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        var app = builder.Build();
        if (seedDemoClients)
        {
            var state = app.Services.GetRequiredService<SimulatorState>();
            state.Register(DemoApp);
            state.Register(DemoDmsaApp);
        }

        var received = app.Services.GetRequiredService<ApiRequestLog>();
        app.Use((http, next) =>
        {
            received.Add(http);
            return next(http);
        });
        app.MapOAuth();
        app.MapRest();
        app.MapTransfers();
        app.MapSimulatorAdmin();
        app.MapPartnerEvents();
        app.MapPartnerReturn();
        app.MapGet("/", () => Results.Text("Procore simulator: /oauth/authorize, /oauth/token, /oauth/revoke, /rest/v1.0/me, /rest/v1.0/companies, /rest/v1.0/projects, /rest/v1.0/echo/…, /vapid/echo/…, /rest/v1.0/downloads/{bytes}, POST /rest/v1.0/uploads, /_simulator/* (partner events: /_simulator/partner-events)"));
        return app;
    }
}
