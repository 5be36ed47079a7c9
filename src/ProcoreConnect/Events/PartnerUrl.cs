using System.Net;

namespace ProcoreConnect.Events;

/// <summary>
/// The rule for a URL a partner gives the service that something other than the partner will
/// fetch (its event webhook, its logo on the pages a person opens): https, no credentials, and not
/// a loopback, private, link-local or other non-public address, as far as the URL alone tells.
/// </summary>
public static class PartnerUrl
{
    /// <summary>The longest URL accepted.</summary>
    public const int MaxLength = 2048;

    /// <summary>
    /// The URL when <paramref name="text"/> follows the rule; with <paramref name="allowInsecureLoopback"/>
    /// (<see cref="EventOptions.AllowInsecureLoopback"/>, development only), http on loopback too.
    /// </summary>
    public static bool TryParse(string? text, bool allowInsecureLoopback, out Uri? url)
    {
        url = null;
        if (text is not { Length: > 0 and <= MaxLength } || !Uri.TryCreate(text, UriKind.Absolute, out var candidate) || !string.IsNullOrEmpty(candidate.UserInfo))
        {
            return false;
        }

        var loopback = candidate.IsLoopback;
        var secure = candidate.Scheme == Uri.UriSchemeHttps;
        var insecureAllowed = allowInsecureLoopback && loopback && candidate.Scheme == Uri.UriSchemeHttp;
        if (!(secure || insecureAllowed))
        {
            return false;
        }

        // What can be told from the URL alone; a webhook also checks what DNS says now, and again
        // at every connect (PublicAddressConnector), since a name may point elsewhere later. A fully
        // qualified "192.168.1.1." is a host name to Uri but an address to a browser, and so is one
        // written with other full stops ("192。168。1。1"): read the host as IDNA maps it, as browsers do.
        var host = candidate.IdnHost.TrimEnd('.');
        if (!insecureAllowed && (loopback || IsLocalName(candidate.IdnHost) || (IPAddress.TryParse(host, out var ip) && !PublicAddress.IsPublic(ip))))
        {
            return false;
        }

        url = candidate;
        return true;
    }

    // "localhost" and its subdomains (RFC 6761), also written fully qualified with a trailing dot.
    private static bool IsLocalName(string host)
    {
        var name = host.TrimEnd('.');
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
    }
}
