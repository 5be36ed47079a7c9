using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using ProcoreConnect.Extensions;
using ProcoreConnect.Refresh;
using ProcoreConnect.Secrets;
using ProcoreConnect.Storage;

namespace RefreshSweep;

/// <summary>
/// One instance of the app's services (no web host) on the shared storage and simulator, with its
/// storage requests and secret-store operations counted. A new one is a fresh process: no caches.
/// </summary>
internal sealed class BenchInstance : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private BenchInstance(ServiceProvider provider, StorageCounter tables, StorageCounter queue, CountingSecretStore secrets)
    {
        _provider = provider;
        Tables = tables;
        Queue = queue;
        Secrets = secrets;
    }

    public StorageCounter Tables { get; }

    public StorageCounter Queue { get; }

    public CountingSecretStore Secrets { get; }

    public T Get<T>() where T : notnull => _provider.GetRequiredService<T>();

    /// <summary>Builds an instance; <paramref name="settings"/> are shared, <paramref name="useQueue"/> picks the path.</summary>
    public static BenchInstance Create(IReadOnlyDictionary<string, string?> settings, TimeProvider clock, bool useQueue)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Refresh:UseQueue"] = useQueue.ToString() })
            .Build();
        var connection = configuration["Storage:ConnectionString"]!;
        var tables = new StorageCounter();
        var queue = new StorageCounter(queues: true);
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
        services.AddProcoreConnect();
        services.AddSingleton(clock);
        var tableOptions = new TableClientOptions();
        tableOptions.AddPolicy(tables, HttpPipelinePosition.PerRetry);
        services.AddSingleton(new TableServiceClient(connection, tableOptions));
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        queueOptions.AddPolicy(queue, HttpPipelinePosition.PerRetry);
        services.AddSingleton(new RefreshQueueClient(new QueueClient(connection, configuration["Refresh:QueueName"] ?? "refresh-due", queueOptions)));
        CountingSecretStore? secrets = null;
        services.AddSingleton<ISecretStore>(sp => secrets = new CountingSecretStore(
            new LocalEncryptedSecretStore(sp.GetRequiredService<TableStore>(), Convert.FromBase64String(configuration["SecretStore:LocalKey"]!))));
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<ISecretStore>();
        return new BenchInstance(provider, tables, queue, secrets!);
    }

    /// <summary>Forgets what was counted so far.</summary>
    public void ClearCounts()
    {
        Tables.Clear();
        Queue.Clear();
        Secrets.Counts.Clear();
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
