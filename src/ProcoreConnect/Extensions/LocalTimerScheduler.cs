using Microsoft.Extensions.Options;
using NCrontab;
using ProcoreConnect.Hosting;

namespace ProcoreConnect.Extensions;

/// <summary>
/// Fires the timer functions on their schedules when the app runs on its own; under the Functions
/// host the host does this and the scheduler stays idle.
/// </summary>
public sealed class LocalTimerScheduler(
    EndpointDataSource endpoints,
    IServiceScopeFactory scopes,
    IConfiguration configuration,
    IOptions<SchedulerOptions> options,
    TimeProvider time,
    ILogger<LocalTimerScheduler> logger) : BackgroundService
{
    private static readonly CrontabSchedule.ParseOptions WithSeconds = new() { IncludingSeconds = true };

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!CustomHandlerPort.RunsLocalWork(configuration, options.Value))
        {
            return Task.CompletedTask;
        }

        var timers = FunctionDefinition.In(endpoints.Endpoints).Where(f => f.Trigger == FunctionTrigger.Timer);
        return Task.WhenAll(timers.Select(t => RunAsync(t, stoppingToken)));
    }

    /// <summary>The schedule a timer function runs on: configuration first, its declared default otherwise.</summary>
    public static CrontabSchedule ScheduleOf(FunctionDefinition timer, IConfiguration configuration) =>
        CrontabSchedule.Parse(configuration[timer.Binding.ScheduleSetting!] ?? timer.Binding.DefaultSchedule!, WithSeconds);

    private async Task RunAsync(FunctionDefinition timer, CancellationToken stoppingToken)
    {
        var schedule = ScheduleOf(timer, configuration);
        var handler = (TimerHandler)timer.Binding.Handler!;
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = schedule.GetNextOccurrence(now.UtcDateTime);
            try
            {
                await Task.Delay(next - now.UtcDateTime, time, stoppingToken);
                await using var scope = scopes.CreateAsyncScope();
                logger.LogInformation("Local scheduler firing {Function}", timer.Name);
                await handler(scope.ServiceProvider, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // One failed run must not stop the schedule; the next occurrence retries.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.LogError(ex, "Timer function {Function} failed", timer.Name);
            }
        }
    }
}
