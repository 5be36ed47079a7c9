using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace ProcoreConnect.ProcoreCalls;

/// <summary>Enforces <see cref="ProcoreCallLimitOptions"/>: per partner, calls in flight and a token bucket, chained.</summary>
public sealed class ProcoreCallLimiter(IOptions<ProcoreCallLimitOptions> options) : IDisposable
{
    /// <summary>The limiter, partitioned by the partition <see cref="Security.RateLimited"/> charges.</summary>
    public PartitionedRateLimiter<string> Limiter { get; } = Create(options.Value);

    /// <inheritdoc />
    public void Dispose() => Limiter.Dispose();

    private static PartitionedRateLimiter<string> Create(ProcoreCallLimitOptions limits) => PartitionedRateLimiter.CreateChained(
        PartitionedRateLimiter.Create<string, string>(partition => RateLimitPartition.GetConcurrencyLimiter(partition, _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = limits.Concurrency,
            QueueLimit = 0,
        })),
        PartitionedRateLimiter.Create<string, string>(partition => RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.Burst,
            TokensPerPeriod = limits.PerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        })));
}
