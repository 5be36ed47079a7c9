using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Options;
using Azure.Storage.Queues;
using ProcoreConnect.Refresh;
using ProcoreConnect.Storage;

namespace ProcoreConnect.Extensions;

/// <summary>Wires Table Storage.</summary>
public static class StorageExtensions
{
    /// <summary>Registers <see cref="TableStore"/>: the managed identity when a table URI is set, the connection string otherwise.</summary>
    public static IServiceCollection AddTableStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section);
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return options.TableServiceUri is { } uri
                ? new TableServiceClient(uri, new DefaultAzureCredential())
                : new TableServiceClient(options.ConnectionString);
        });
        services.AddSingleton<TableStore>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var queueName = sp.GetRequiredService<IOptions<RefreshOptions>>().Value.QueueName;
            // Base64, as the Functions queue trigger reads messages by default.
            var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
            var queue = options.QueueServiceUri is { } uri
                ? new QueueServiceClient(uri, new DefaultAzureCredential(), queueOptions).GetQueueClient(queueName)
                : new QueueClient(options.ConnectionString, queueName, queueOptions);
            return new RefreshQueueClient(queue);
        });
        return services;
    }
}
