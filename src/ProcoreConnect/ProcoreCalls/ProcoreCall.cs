namespace ProcoreConnect.ProcoreCalls;

/// <summary>One call made through the proxy, as the call log lists it: never a token, a body or a query value.</summary>
public sealed record ProcoreCall
{
    /// <summary>When the call arrived.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The HTTP method.</summary>
    public required string Method { get; init; }

    /// <summary>The Procore path, with the query's names but not their values (e.g. <c>rest/v1.0/projects?page=</c>).</summary>
    public required string Path { get; init; }

    /// <summary>The status the partner got.</summary>
    public required int Status { get; init; }

    /// <summary>Whether the service answered without calling Procore (a token over its rate limit, or no token).</summary>
    public required bool AnsweredLocally { get; init; }

    /// <summary>Milliseconds from arrival to the end of the answer.</summary>
    public required double DurationMs { get; init; }

    /// <summary>Procore's request id (<c>X-Request-Id</c>), when it sent one: quote it to Procore's support.</summary>
    public string? ProcoreRequestId { get; init; }

    /// <summary>What Procore said was left of the token's rate limit after this call.</summary>
    public long? RateLimitRemaining { get; init; }

    /// <summary>Whether a 401 made the service refresh the token and send the call again.</summary>
    public bool Retried { get; init; }

    /// <summary>Why the forwarder failed (YARP's <c>ForwarderError</c>, e.g. <c>Request</c>, <c>RequestTimedOut</c>), when it did; null otherwise.</summary>
    public string? Error { get; init; }
}
