using Microsoft.Kiota.Http.HttpClientLibrary;

namespace ProcoreConnect.Client;

/// <summary>Creates a <see cref="ProcoreConnectApiClient"/> for one deployment and one API key.</summary>
public static class ProcoreConnectClient
{
    /// <summary>
    /// A client that calls the service at <paramref name="baseUrl"/> (e.g. <c>https://connect.example.com</c>,
    /// without <c>/api</c>) with <paramref name="apiKey"/>, through <paramref name="httpClient"/> when
    /// given (its handlers and timeout apply), else through an HttpClient of Kiota's defaults.
    /// </summary>
    public static ProcoreConnectApiClient Create(Uri baseUrl, string apiKey, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        var adapter = new HttpClientRequestAdapter(new ApiKeyHeader(apiKey), httpClient: httpClient)
        {
            BaseUrl = baseUrl.GetLeftPart(UriPartial.Authority) + baseUrl.AbsolutePath.TrimEnd('/'),
        };
        return new ProcoreConnectApiClient(adapter);
    }
}
