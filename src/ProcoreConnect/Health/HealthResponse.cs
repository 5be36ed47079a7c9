namespace ProcoreConnect.Health;

/// <summary>The health report: overall status, each dependency's, and when the checks ran (answers are served from the last check for a few seconds).</summary>
public sealed record HealthResponse([property: Common.WireValues(typeof(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus))] string Status, IReadOnlyDictionary<string, HealthCheckResponse> Checks, DateTimeOffset CheckedAt);

/// <summary>One dependency's health.</summary>
public sealed record HealthCheckResponse([property: Common.WireValues(typeof(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus))] string Status, string? Description, double DurationMs);
