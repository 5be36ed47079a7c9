using System.Globalization;

namespace ProcoreConnect.Http;

/// <summary>The <c>Retry-After</c> header's seconds: whole, rounded up, at least one (a client told 0 would retry at once).</summary>
public static class RetryAfter
{
    /// <summary>The seconds to tell a client that must wait <paramref name="wait"/>.</summary>
    public static int Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));

    /// <summary>Sets the header to the seconds from now until <paramref name="until"/>.</summary>
    public static void Set(HttpResponse response, DateTimeOffset until, TimeProvider time) =>
        response.Headers.RetryAfter = Seconds(until - time.GetUtcNow()).ToString(CultureInfo.InvariantCulture);
}
