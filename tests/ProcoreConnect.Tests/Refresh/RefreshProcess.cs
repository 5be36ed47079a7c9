using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ProcoreConnect.Extensions;
using ProcoreConnect.Procore;
using ProcoreConnect.Refresh;
using ProcoreConnect.Secrets;
using ProcoreConnect.Storage;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Tokens;
using ProcoreConnect.WorkspaceConnections;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tests.Refresh;

/// <summary>
/// One app instance's services (no web host), sharing storage and Procore with its siblings:
/// what a process of the function app holds in memory, so a "kill" is disposing one and building another.
/// </summary>
public sealed class RefreshProcess : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public RefreshProcess(IDictionary<string, string?> settings, TimeProvider clock, FaultPlan plan)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddProcoreConnect();
        services.AddSingleton(clock);
        var options = new TableClientOptions();
        options.AddPolicy(new TableFaultPolicy(plan, settings["Storage:TablePrefix"]!), Azure.Core.HttpPipelinePosition.PerCall);
        services.AddSingleton(new TableServiceClient(settings["Storage:ConnectionString"], options));
        services.AddSingleton<ISecretStore>(sp => new FaultySecretStore(
            new LocalEncryptedSecretStore(sp.GetRequiredService<TableStore>(), Convert.FromBase64String(settings["SecretStore:LocalKey"]!)), plan));
        services.AddHttpClient<ProcoreOAuthClient>().AddHttpMessageHandler(() => new ProcoreFaultHandler(plan));
        _services = services.BuildServiceProvider();
    }

    public TokenReader Tokens => _services.GetRequiredService<TokenReader>();

    public GrantConnector Grants => _services.GetRequiredService<GrantConnector>();

    public RefreshSweeper Sweeper => _services.GetRequiredService<RefreshSweeper>();

    public WorkspaceRepository Workspaces => _services.GetRequiredService<WorkspaceRepository>();

    public WorkspaceConnectionService Connections => _services.GetRequiredService<WorkspaceConnectionService>();

    public ProcoreConnect.ClientManagement.OAuthClientService Clients => _services.GetRequiredService<ProcoreConnect.ClientManagement.OAuthClientService>();

    public RefreshDueIndex Index => _services.GetRequiredService<RefreshDueIndex>();

    public IOptions<TokenOptions> TokenOptions => _services.GetRequiredService<IOptions<TokenOptions>>();

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
