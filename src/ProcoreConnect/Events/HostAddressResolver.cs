using System.Net;

namespace ProcoreConnect.Events;

/// <summary>
/// Resolves a partner's host name for <see cref="PublicAddressConnector"/>: the system resolver.
/// A class of its own so that tests can answer for names they cannot register in DNS.
/// </summary>
public class HostAddressResolver
{
    /// <summary>Every address the name resolves to (a literal address resolves to itself).</summary>
    public virtual Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Dns.GetHostAddressesAsync(host, cancellationToken);
}
