using System.Diagnostics;
using System.Net;

namespace ProcoreConnect.ProcoreCalls;

/// <summary>
/// The one HTTP client proxied calls go out on, set up as a proxy's must be: no redirects followed
/// (a redirect is Procore's answer to the partner), no cookies kept, bodies passed as they are
/// (no decompression), no outbound proxy, no trace context sent, and pooled connections recycled
/// for DNS changes.
/// </summary>
public sealed class ProcoreCallInvoker : IDisposable
{
    /// <summary>The client.</summary>
    public HttpMessageInvoker Invoker { get; } = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = TimeSpan.FromSeconds(15),
        // The client span stays ours; no traceparent, tracestate or baggage (the partner's trace, or ours) goes to a third party.
        ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator(),
    });

    /// <inheritdoc />
    public void Dispose() => Invoker.Dispose();
}
