using System.Collections.Concurrent;

namespace ProcoreSimulator.State;

/// <summary>
/// Every request the simulator received, as it arrived (method, request target, headers), so a test
/// can see what a proxy sent, and that it sent nothing. The newest 2,000 are kept.
/// </summary>
public sealed class ApiRequestLog
{
    private const int Keep = 2_000;

    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();

    /// <summary>The requests received so far, oldest first.</summary>
    public IReadOnlyList<ReceivedRequest> Received => [.. _requests];

    /// <summary>Records a request.</summary>
    public void Add(HttpContext http)
    {
        var target = http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? http.Request.Path + http.Request.QueryString;
        _requests.Enqueue(new ReceivedRequest(
            http.Request.Method, target, http.Request.Host.ToString(),
            http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        while (_requests.Count > Keep && _requests.TryDequeue(out _))
        {
        }
    }

    /// <summary>Forgets every request.</summary>
    public void Clear() => _requests.Clear();
}

/// <summary>One request as the simulator received it.</summary>
/// <param name="Method">The method.</param>
/// <param name="Target">The request target as sent (path and query, still encoded).</param>
/// <param name="Host">The Host header.</param>
/// <param name="Headers">Every header, by name.</param>
public sealed record ReceivedRequest(string Method, string Target, string Host, IReadOnlyDictionary<string, string> Headers);
