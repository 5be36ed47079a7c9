namespace ProcoreConnect.Health;

/// <summary>
/// Runs the health checks once in the background as soon as the server listens; the result is the
/// first one <see cref="HealthReportCache"/> serves. The first call through each Azure SDK client
/// pays for JIT, pipeline set-up, table creation and the first connection, which this takes off
/// the first request the Functions host forwards after a cold start. It waits for the server
/// because, started alongside Kestrel, it competed with the pipeline's construction for the
/// instance's one or two cores and for the service provider's lock: the server listened about
/// 40 ms later, and the first health answer came no sooner (bench/coldstart.py).
/// </summary>
public sealed class DependencyWarmup(HealthReportCache health, IHostApplicationLifetime lifetime, ILogger<DependencyWarmup> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => listening.TrySetResult());
        try
        {
            await listening.Task.WaitAsync(stoppingToken);
            var (report, _) = await health.GetAsync(fresh: false, stoppingToken);
            logger.LogDebug("Start-up warm-up: dependencies {Status} after {Duration} ms", report.Status, report.TotalDuration.TotalMilliseconds);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
