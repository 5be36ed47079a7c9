namespace ProcoreConnect.Procore;

/// <summary>The base URLs of one Procore environment.</summary>
public sealed class ProcoreEndpointsOptions
{
    /// <summary>Base of <c>/oauth/authorize</c>, <c>/oauth/token</c> and <c>/oauth/revoke</c>.</summary>
    public required Uri LoginBaseUrl { get; set; }

    /// <summary>Base of the REST API (<c>/rest/v1.0/…</c>).</summary>
    public required Uri ApiBaseUrl { get; set; }
}
