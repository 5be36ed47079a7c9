namespace ProcoreSimulator.State;

/// <summary>Knobs that make the simulator misbehave the way Procore sometimes does.</summary>
public sealed record SimulatorFaults
{
    /// <summary>Delay added to every token request.</summary>
    public int TokenLatencyMs { get; init; }

    /// <summary>Delay added to every REST request.</summary>
    public int ApiLatencyMs { get; init; }

    /// <summary>Status codes the next token requests fail with, one each, in order (e.g. 500, 503, 429).</summary>
    public IReadOnlyList<int> TokenFailures { get; init; } = [];

    /// <summary>API requests allowed per access token per hour before 429.</summary>
    public int RateLimitPerHour { get; init; } = 3600;

    /// <summary>Access token lifetime in seconds (Procore: 5400).</summary>
    public int AccessTokenLifetimeSeconds { get; init; } = 5400;
}
