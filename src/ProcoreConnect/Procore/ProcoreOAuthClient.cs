using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace ProcoreConnect.Procore;

/// <summary>
/// Typed client for Procore's token endpoint. Token requests are never retried automatically:
/// a retried refresh after a lost answer would present a refresh token Procore already rotated.
/// </summary>
public sealed class ProcoreOAuthClient(HttpClient http, IOptions<ProcoreOptions> procore, ILogger<ProcoreOAuthClient> logger)
{
    /// <summary>Exchanges an authorization code.</summary>
    public Task<ProcoreTokenResult> ExchangeCodeAsync(
        ProcoreEnvironment environment, string clientId, string clientSecret, string code, Uri redirectUri, string? codeVerifier, CancellationToken cancellationToken)
    {
        var form = Form(clientId, clientSecret, "authorization_code");
        form["code"] = code;
        form["redirect_uri"] = redirectUri.ToString();
        if (codeVerifier is not null)
        {
            form["code_verifier"] = codeVerifier;
        }

        return PostAsync(environment, form, cancellationToken);
    }

    /// <summary>Rotates a refresh token.</summary>
    public Task<ProcoreTokenResult> RefreshAsync(
        ProcoreEnvironment environment, string clientId, string clientSecret, string refreshToken, CancellationToken cancellationToken)
    {
        var form = Form(clientId, clientSecret, "refresh_token");
        form["refresh_token"] = refreshToken;
        return PostAsync(environment, form, cancellationToken);
    }

    /// <summary>Client credentials (service accounts, DMSA).</summary>
    public Task<ProcoreTokenResult> ClientCredentialsAsync(
        ProcoreEnvironment environment, string clientId, string clientSecret, CancellationToken cancellationToken) =>
        PostAsync(environment, Form(clientId, clientSecret, "client_credentials"), cancellationToken);

    /// <summary>
    /// Revokes a grant: Procore revokes the access token and the refresh token issued with it, and
    /// answers 200 even for a token it does not know. True when Procore answered 2xx.
    /// </summary>
    public async Task<bool> RevokeAsync(ProcoreEnvironment environment, string clientId, string clientSecret, string accessToken, CancellationToken cancellationToken)
    {
        var endpoint = new Uri(procore.Value.For(environment).LoginBaseUrl, "oauth/revoke");
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = accessToken,
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
        });
        using var response = await http.PostAsync(endpoint, content, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            logger.LogWarning("Procore revoke endpoint answered {Status}", (int)response.StatusCode);
        }

        return response.IsSuccessStatusCode;
    }

    /// <summary>The browser URL of the environment's authorize endpoint.</summary>
    public Uri AuthorizeEndpoint(ProcoreEnvironment environment) => new(procore.Value.For(environment).LoginBaseUrl, "oauth/authorize");

    private static Dictionary<string, string> Form(string clientId, string clientSecret, string grant) => new()
    {
        ["grant_type"] = grant,
        ["client_id"] = clientId,
        ["client_secret"] = clientSecret,
    };

    private async Task<ProcoreTokenResult> PostAsync(ProcoreEnvironment environment, Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        var endpoint = new Uri(procore.Value.For(environment).LoginBaseUrl, "oauth/token");
        try
        {
            using var content = new FormUrlEncodedContent(form);
            using var response = await http.PostAsync(endpoint, content, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                var tokens = await response.Content.ReadFromJsonAsync<ProcoreTokenResponse>(cancellationToken);
                return tokens is { AccessToken.Length: > 0 }
                    ? new ProcoreTokenResult(tokens)
                    : new ProcoreTokenResult(null, (int)response.StatusCode, "invalid_response", "The token endpoint answered without an access token.");
            }

            var (error, description) = await ReadErrorAsync(response, cancellationToken);
            logger.LogWarning("Procore token endpoint answered {Status} {Error} for grant {Grant}", (int)response.StatusCode, error, form["grant_type"]);
            return new ProcoreTokenResult(null, (int)response.StatusCode, error, description);
        }
        catch (HttpRequestException ex)
        {
            logger.LogWarning("Procore token endpoint unreachable: {Reason}", ex.Message);
            return new ProcoreTokenResult(null, 0, "unreachable", "Procore's token endpoint could not be reached.");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProcoreTokenResult(null, 0, "timeout", "Procore's token endpoint did not answer in time.");
        }
    }

    private static async Task<(string Error, string? Description)> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var error = json.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString()! : "http_" + (int)response.StatusCode;
            var description = json.RootElement.TryGetProperty("error_description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            return (error, description);
        }
        catch (JsonException)
        {
            return ("http_" + (int)response.StatusCode, null);
        }
    }
}
