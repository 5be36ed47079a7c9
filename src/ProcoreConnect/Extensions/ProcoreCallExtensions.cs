using ProcoreConnect.ProcoreCalls;

namespace ProcoreConnect.Extensions;

/// <summary>The Procore proxy's service registrations.</summary>
public static class ProcoreCallExtensions
{
    /// <summary>Registers the proxy, its call log and its metrics.</summary>
    public static IServiceCollection AddProcoreCalls(this IServiceCollection services)
    {
        services.AddOptions<ProcoreCallOptions>().BindConfiguration(ProcoreCallOptions.Section).ValidateOnStartWith(new ProcoreCallOptionsValidator());
        services.AddOptions<ProcoreCallLimitOptions>().BindConfiguration(ProcoreCallLimitOptions.Section).ValidateOnStartWith(new ProcoreCallLimitOptionsValidator());
        services.AddSingleton<ProcoreCallLimiter>();
        services.AddHttpForwarder();
        services.AddSingleton<ProcoreCallInvoker>();
        services.AddSingleton<ProcoreCallLog>();
        services.AddSingleton<ProcoreCallMetrics>();
        services.AddSingleton<CallOwners>();
        services.AddSingleton<ProcoreCallRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<ProcoreCallRecorder>());
        services.AddSingleton<ProcoreProxy>();
        return services;
    }
}
