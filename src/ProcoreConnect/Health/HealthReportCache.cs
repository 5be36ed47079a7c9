using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ProcoreConnect.Health;

/// <summary>
/// The last health check and when it finished. Callers within <see cref="HealthOptions.CacheDuration"/>
/// share it, and callers that arrive while a check runs wait for that one: however many anonymous
/// requests come, the dependencies are checked at most once per window.
/// </summary>
public sealed class HealthReportCache(HealthCheckService health, TimeProvider time, IOptions<HealthOptions> options)
{
    private readonly Lock _gate = new();
    private Task<(HealthReport Report, DateTimeOffset CheckedAt)>? _current;

    /// <summary>The cached report, or a new check when it is older than the window; <paramref name="fresh"/> always checks anew.</summary>
    public Task<(HealthReport Report, DateTimeOffset CheckedAt)> GetAsync(bool fresh, CancellationToken cancellationToken)
    {
        Task<(HealthReport, DateTimeOffset)> current;
        lock (_gate)
        {
            if (fresh || _current is null || (_current.IsCompleted && !IsFresh(_current)))
            {
                // On the thread pool, not under the lock; with no caller's token: the check is shared,
                // and each health check has its own timeout.
                _current = Task.Run(CheckAsync, CancellationToken.None);
            }

            current = _current;
        }

        return current.WaitAsync(cancellationToken);
    }

    private bool IsFresh(Task<(HealthReport Report, DateTimeOffset CheckedAt)> check) =>
        check.IsCompletedSuccessfully && time.GetUtcNow() - check.Result.CheckedAt < options.Value.CacheDuration;

    private async Task<(HealthReport, DateTimeOffset)> CheckAsync()
    {
        var report = await health.CheckHealthAsync(CancellationToken.None);
        return (report, time.GetUtcNow());
    }
}
