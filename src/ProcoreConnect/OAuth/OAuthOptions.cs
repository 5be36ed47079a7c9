using ProcoreConnect.Procore;

namespace ProcoreConnect.OAuth;

/// <summary>Settings of the authorization code flow.</summary>
public sealed class OAuthOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "OAuth";

    /// <summary>
    /// Environments (wire names, e.g. <c>production</c>) whose authorize requests carry no PKCE
    /// challenge. Empty by default: PKCE (S256) is sent everywhere, since a server ignores
    /// parameters it does not know (RFC 6749 §3.1) and where Procore checks it, a stolen code is
    /// useless. For the day Procore should refuse it somewhere.
    /// </summary>
    public IList<string> PkceOffIn { get; } = [];

    /// <summary>How long a sign-in (its <c>state</c>) stays valid once Connect is pressed.</summary>
    public TimeSpan StateLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// No longer read: return origins are each partner's own (<c>PUT /api/partner/settings</c>).
    /// Kept so a deployment still setting it stops at start instead of quietly allowing nothing.
    /// </summary>
    public IList<string> AllowedReturnOrigins { get; } = [];

    /// <summary>True when authorize requests in <paramref name="environment"/> carry a PKCE challenge.</summary>
    public bool UsesPkce(ProcoreEnvironment environment) =>
        !PkceOffIn.Contains(Common.WireName.Of(environment), StringComparer.Ordinal);
}
