using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ProcoreConnect.Security;

/// <summary>
/// The rate limiter policy of <see cref="Hosting.RateLimitedFunctions"/>: a fixed window per
/// partner (the authenticated caller's partner id; the limiter runs after authorization, so
/// every caller it sees has one). A refused call answers 429 problem details with
/// <c>Retry-After</c> and never reaches its handler, so it changes nothing.
/// </summary>
public sealed class PartnerRateLimitPolicy(IOptions<RateLimitOptions> options) : IRateLimiterPolicy<string>
{
    /// <summary>The policy's name.</summary>
    public const string Name = "partner-writes";

    /// <inheritdoc />
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = RejectAsync;

    /// <inheritdoc />
    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var limits = options.Value;
        return RateLimitPartition.GetFixedWindowLimiter(httpContext.User.PartnerId() ?? "", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limits.PermitLimit,
            Window = limits.Window,
            QueueLimit = 0,
        });
    }

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        // A fixed window says how long until enough permits return: the window's length, at most.
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.Window;
        var seconds = (int)Math.Ceiling(retryAfter.TotalSeconds);
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"This partner's calls that reach Key Vault or Procore are limited; retry after {seconds} s. Nothing of this request was done.",
            },
        });
    }
}
