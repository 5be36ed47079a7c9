using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;

namespace ProcoreConnect.Security;

/// <summary>
/// Enforces the endpoint's <see cref="RateLimited"/> budget: a call over it answers 429 problem
/// details with <c>Retry-After</c> and never reaches its handler, so it changes nothing. A call
/// its handler answers 400 before reaching Procore or writing a secret (<see cref="CostlyWork"/>)
/// did nothing, and gets its permit back.
/// </summary>
public sealed class RateLimiting(RequestDelegate next, PermitWindows windows)
{
    /// <summary>Runs the request within its partition's budget.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<RateLimited>() is not { } limited)
        {
            await next(context);
            return;
        }

        if (limited.Limiter is { } own)
        {
            await RunLeasedAsync(context, limited, own(context.RequestServices));
            return;
        }

        var (permit, retryAfter) = windows.TryAcquire(limited.PartitionOf(context));
        if (permit is null)
        {
            await RejectAsync(context, limited, retryAfter);
            return;
        }

        var work = CostlyWork.Track();
        await next(context);
        if (context.Response.StatusCode == StatusCodes.Status400BadRequest && !work.Done)
        {
            PermitWindows.Return(permit);
        }
    }

    // An endpoint's own limiter: the lease is held until the call is answered (a concurrency limit counts calls in flight).
    private async Task RunLeasedAsync(HttpContext context, RateLimited limited, PartitionedRateLimiter<string> limiter)
    {
        using var lease = limiter.AttemptAcquire(limited.PartitionOf(context));
        if (!lease.IsAcquired)
        {
            await RejectAsync(context, limited, lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1));
            return;
        }

        await next(context);
    }

    private static async Task RejectAsync(HttpContext context, RateLimited limited, TimeSpan retryAfter)
    {
        var seconds = Http.RetryAfter.Seconds(retryAfter);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"{limited.Budget}; retry after {seconds} s. Nothing of this request was done.",
            },
        });
    }
}
