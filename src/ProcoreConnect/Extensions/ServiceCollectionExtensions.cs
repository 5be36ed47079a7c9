using System.Text.Json.Serialization;
using ProcoreConnect.Health;
using ProcoreConnect.Hosting;
using ProcoreConnect.Procore;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Extensions;

/// <summary>The app's service registrations.</summary>
public static class ServiceCollectionExtensions
{
    // A probe that waits out the SDKs' retries is slower than the platform's probe timeout.
    private static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Registers everything the functions need.</summary>
    public static IServiceCollection AddProcoreConnect(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o =>
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.SnakeCaseLower)));
        services.AddSingleton(TimeProvider.System);

        services.AddOptions<ProcoreOptions>().BindConfiguration(ProcoreOptions.Section);
        services.AddOptions<SchedulerOptions>().BindConfiguration(SchedulerOptions.Section);

        services.AddTableStorage();
        services.AddSecretStore();
        services.AddSingleton<WorkspaceRepository>();
        services.AddSingleton<WorkspaceConnectionService>();

        services.AddHealthChecks()
            .AddCheck<StorageHealthCheck>("storage", tags: null, timeout: HealthCheckTimeout)
            .AddCheck<SecretStoreHealthCheck>("secretStore", tags: null, timeout: HealthCheckTimeout);
        services.AddHostedService<LocalTimerScheduler>();
        return services;
    }
}
