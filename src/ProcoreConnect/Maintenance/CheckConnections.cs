namespace ProcoreConnect.Maintenance;

/// <summary>The <c>CheckConnections</c> timer function.</summary>
public static class CheckConnections
{
    /// <summary>Runs one check of every workspace.</summary>
    public static async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        await services.GetRequiredService<ConnectionChecker>().CheckAllAsync(cancellationToken);
}
