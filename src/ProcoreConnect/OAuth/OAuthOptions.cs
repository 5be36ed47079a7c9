namespace ProcoreConnect.OAuth;

/// <summary>Settings of the authorization code flow.</summary>
public sealed class OAuthOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "OAuth";

    /// <summary>
    /// Send a PKCE S256 challenge with the authorize request. Off by default: Procore's docs do
    /// not describe PKCE for confidential clients; the simulator accepts it.
    /// </summary>
    public bool UsePkce { get; set; }

    /// <summary>How long a connect link (its <c>state</c>) stays valid.</summary>
    public TimeSpan StateLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Origins (scheme://host[:port]) a partner's <c>returnUrl</c> may point at.</summary>
    public IList<string> AllowedReturnOrigins { get; } = [];
}
