namespace ProcoreConnect.Health;

/// <summary>The health report: overall status, each dependency's, and when the checks ran (answers are served from the last check for a few seconds).</summary>
public sealed record HealthResponse(string Status, IReadOnlyDictionary<string, HealthCheckResponse> Checks, DateTimeOffset CheckedAt);

/// <summary>One dependency's health.</summary>
public sealed record HealthCheckResponse(string Status, string? Description, double DurationMs);
