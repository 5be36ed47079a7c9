using ProcoreConnect.Procore;

namespace ProcoreConnect.Clients;

/// <summary>A client-credentials client's shared token in one environment, while it fails or backs off.</summary>
/// <param name="Environment">The Procore environment.</param>
/// <param name="BrokenSince">Since when the token cannot be had (null while only backing off).</param>
/// <param name="BrokenReason">invalid_client or refresh_failing.</param>
/// <param name="Failures">Failed token requests in a row.</param>
/// <param name="RetryAt">When the token may be asked for again.</param>
public sealed record ClientTokenHealth(ProcoreEnvironment Environment, DateTimeOffset? BrokenSince, string? BrokenReason, int Failures, DateTimeOffset? RetryAt);
