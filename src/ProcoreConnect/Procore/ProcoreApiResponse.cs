using System.Text.Json;

namespace ProcoreConnect.Procore;

/// <summary>
/// A REST call's status and JSON body (status 0: Procore could not be reached). On a 429,
/// <see cref="RetryAt"/> is when Procore's reported limit resets.
/// </summary>
public sealed record ProcoreApiResponse(int Status, JsonElement? Body, DateTimeOffset? RetryAt = null);
