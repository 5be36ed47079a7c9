namespace ProcoreConnect.Health;

/// <summary>
/// Runs the health checks once in the background while the host is still starting; the result is
/// the first one <see cref="HealthReportCache"/> serves. The first call through each Azure SDK
/// client pays for JIT, pipeline set-up, table creation and the first connection; doing that
/// alongside Kestrel's start-up, on the second core, takes it off the first request the Functions
/// host forwards after a cold start.
/// </summary>
public sealed class DependencyWarmup(HealthReportCache health, ILogger<DependencyWarmup> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Return to the host at once; everything below overlaps its start.
        await Task.Yield();
        try
        {
            var (report, _) = await health.GetAsync(fresh: false, stoppingToken);
            logger.LogDebug("Start-up warm-up: dependencies {Status} after {Duration} ms", report.Status, report.TotalDuration.TotalMilliseconds);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
