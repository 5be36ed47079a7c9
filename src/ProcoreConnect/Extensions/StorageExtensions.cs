using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Options;
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
        return services;
    }
}
