using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace ProcoreConnect.Procore;

/// <summary>
/// Typed client for Procore's REST API. Every request carries <c>Procore-Company-Id</c> (a DMSA
/// needs it even on <c>/me</c> and <c>/companies</c>); a token over its rate limit is not used
/// again until Procore's reset time (see <see cref="ProcoreRateLimits"/>).
/// </summary>
public sealed class ProcoreApiClient(HttpClient http, IOptions<ProcoreOptions> procore, ProcoreRateLimits limits)
{
    /// <summary>GETs <paramref name="path"/> (e.g. <c>rest/v1.0/me</c>) as the token's user, in <paramref name="companyId"/>.</summary>
    public async Task<ProcoreApiResponse> GetAsync(
        ProcoreEnvironment environment, string accessToken, long companyId, string path, CancellationToken cancellationToken)
    {
        if (limits.BlockedUntil(accessToken) is { } blocked)
        {
            return new ProcoreApiResponse(StatusCodes.Status429TooManyRequests, null, blocked);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(procore.Value.For(environment).ApiBaseUrl, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Add("Procore-Company-Id", companyId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var retryAt = limits.Observe(accessToken, response);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonElement? body = null;
            try
            {
                body = string.IsNullOrWhiteSpace(text) ? null : JsonDocument.Parse(text).RootElement.Clone();
            }
            catch (JsonException)
            {
            }

            return new ProcoreApiResponse((int)response.StatusCode, body, (int)response.StatusCode == 429 ? retryAt : null);
        }
        catch (HttpRequestException)
        {
            return new ProcoreApiResponse(0, null);
        }
    }
}
