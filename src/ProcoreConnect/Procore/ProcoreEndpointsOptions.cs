namespace ProcoreConnect.Procore;

/// <summary>The base URLs of one Procore environment.</summary>
/// <param name="loginBaseUrl">Base of <c>/oauth/authorize</c>, <c>/oauth/token</c> and <c>/oauth/revoke</c>.</param>
/// <param name="apiBaseUrl">Base of the REST API (<c>/rest/v1.0/…</c>).</param>
public sealed class ProcoreEndpointsOptions(Uri loginBaseUrl, Uri apiBaseUrl)
{
    /// <summary>Base of <c>/oauth/authorize</c>, <c>/oauth/token</c> and <c>/oauth/revoke</c>.</summary>
    public Uri LoginBaseUrl { get; set; } = loginBaseUrl;

    /// <summary>Base of the REST API (<c>/rest/v1.0/…</c>).</summary>
    public Uri ApiBaseUrl { get; set; } = apiBaseUrl;
}
