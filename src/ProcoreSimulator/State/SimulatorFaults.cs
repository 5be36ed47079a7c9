using System.Text.Json.Serialization;

namespace ProcoreSimulator.State;

/// <summary>Knobs that make the simulator misbehave the way Procore sometimes does.</summary>
public sealed record SimulatorFaults
{
    /// <summary>Delay added to every token request before it is read (a caller that goes away meanwhile spends nothing).</summary>
    public int TokenLatencyMs { get; init; }

    /// <summary>
    /// Delay added to every token answer after the request was processed: a refresh token is
    /// already rotated while its answer travels, and a caller that dies meanwhile never learns the
    /// new one (the window no client can close).
    /// </summary>
    public int TokenAnswerLatencyMs { get; init; }

    /// <summary>
    /// Like <see cref="TokenAnswerLatencyMs"/>, but for as long as a test in the same process
    /// decides: every token answer, once its request is processed, waits until this task completes.
    /// Not settable over HTTP.
    /// </summary>
    [JsonIgnore]
    public Task? TokenAnswersHeldUntil { get; init; }

    /// <summary>Delay added to every REST request.</summary>
    public int ApiLatencyMs { get; init; }

    /// <summary>
    /// Status codes the next token requests fail with, one each, in order (e.g. 500, 503, 429).
    /// As at Procore, a refresh call that fails still spends the refresh token it presented,
    /// except a throttled one (429, or 503 under heavy load) that was turned away before it was read.
    /// </summary>
    public IReadOnlyList<int> TokenFailures { get; init; } = [];

    /// <summary>
    /// OAuth errors (e.g. <c>invalid_client</c>) the next token requests are refused with, one
    /// each, in order, answered 401 like Procore's own refusals: a refusal that a caller's request
    /// met, and the next request does not.
    /// </summary>
    public IReadOnlyList<string> TokenRefusals { get; init; } = [];

    /// <summary>
    /// Status codes the next REST requests fail with, one each, in order, before they are counted
    /// against a rate limit (e.g. 503, Procore's answer under heavy load), each with
    /// <c>Retry-After: </c><see cref="ApiRetryAfterSeconds"/>.
    /// </summary>
    public IReadOnlyList<int> ApiFailures { get; init; } = [];

    /// <summary>The <c>Retry-After</c> of a failure from <see cref="ApiFailures"/>.</summary>
    public int ApiRetryAfterSeconds { get; init; } = 7;

    /// <summary>API requests allowed per access token in an hour (Procore's hourly limit; it differs by app).</summary>
    public int RateLimitPerHour { get; init; } = 3600;

    /// <summary>API requests allowed per access token in 10 seconds (Procore's spike limit).</summary>
    public int SpikeLimitPer10Seconds { get; init; } = 100;

    /// <summary>Access token lifetime in seconds (Procore: 5400).</summary>
    public int AccessTokenLifetimeSeconds { get; init; } = 5400;
}
