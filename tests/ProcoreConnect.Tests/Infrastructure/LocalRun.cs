namespace ProcoreConnect.Tests.Infrastructure;

/// <summary>
/// The service as <c>scripts/start-local.sh</c> starts it (the Procore simulator with its demo apps,
/// then the app on its own in Development), on free ports and with storage of its own, so it is as
/// empty as a fresh start-local's: what the tours in README.md and docs/getting-started.md run against.
/// </summary>
public sealed class LocalRun : IAsyncLifetime
{
    /// <summary>The Procore simulator, which also stands in for the partner's webhook.</summary>
    public SimulatorHost Simulator { get; private set; } = null!;

    /// <summary>The app.</summary>
    public AppProcess App { get; private set; } = null!;

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        Simulator = await SimulatorHost.StartAsync(seedDemoClients: true);
        // As start-local.sh sets them: the simulator's origin, without a trailing slash.
        var settings = Simulator.Settings().ToDictionary(s => s.Key, s => (string?)Simulator.BaseUrl.GetLeftPart(UriPartial.Authority));
        settings["Storage:ConnectionString"] = Azurite.Instance.ConnectionString;
        settings["Storage:TablePrefix"] = Azurite.NewPrefix();
        settings["Refresh:QueueName"] = "q" + Guid.NewGuid().ToString("N")[..12];
        App = await AppProcess.StartLocalAsync(settings);
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        if (Simulator is not null)
        {
            await Simulator.DisposeAsync();
        }
    }
}
