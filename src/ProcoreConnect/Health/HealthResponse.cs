namespace ProcoreConnect.Health;

/// <summary>The health report: overall status and each dependency's.</summary>
public sealed record HealthResponse(string Status, IReadOnlyDictionary<string, HealthCheckResponse> Checks);

/// <summary>One dependency's health.</summary>
public sealed record HealthCheckResponse(string Status, string? Description, double DurationMs);
