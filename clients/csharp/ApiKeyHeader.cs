using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;

namespace ProcoreConnect.Client;

/// <summary>Authenticates each request with a Procore Connect API key in the <c>X-Api-Key</c> header.</summary>
/// <remarks>
/// Kiota's own ApiKeyAuthenticationProvider refuses plain http, and the local service and its tests
/// run on http at 127.0.0.1; the service itself refuses keys over plain http anywhere else.
/// </remarks>
public sealed class ApiKeyHeader(string apiKey) : IAuthenticationProvider
{
    /// <summary>The header the service reads a partner or admin key from.</summary>
    public const string HeaderName = "X-Api-Key";

    /// <inheritdoc/>
    public Task AuthenticateRequestAsync(RequestInformation request, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.TryAdd(HeaderName, apiKey);
        return Task.CompletedTask;
    }
}
