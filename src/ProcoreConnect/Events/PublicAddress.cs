using System.Net;
using System.Net.Sockets;

namespace ProcoreConnect.Events;

/// <summary>
/// Whether the service may post partner events to an address: only globally routable unicast.
/// Everything a partner could use to reach the service's own network, the platform or a
/// neighbour is refused, literal or resolved, IPv4 or IPv6 or IPv4 inside IPv6.
/// </summary>
public static class PublicAddress
{
    // IANA's special-purpose IPv4 registry (RFC 6890 and successors), plus Azure's own.
    private static readonly IPNetwork[] NotPublicV4 =
    [
        IPNetwork.Parse("0.0.0.0/8"),          // "this network", unspecified
        IPNetwork.Parse("10.0.0.0/8"),         // private
        IPNetwork.Parse("100.64.0.0/10"),      // shared address space (carrier-grade NAT)
        IPNetwork.Parse("127.0.0.0/8"),        // loopback
        IPNetwork.Parse("168.63.129.16/32"),   // Azure's wireserver (platform DNS, health probes, VM agent)
        IPNetwork.Parse("169.254.0.0/16"),     // link-local, instance metadata (169.254.169.254)
        IPNetwork.Parse("172.16.0.0/12"),      // private
        IPNetwork.Parse("192.0.0.0/24"),       // IETF protocol assignments
        IPNetwork.Parse("192.0.2.0/24"),       // documentation (TEST-NET-1)
        IPNetwork.Parse("192.88.99.0/24"),     // 6to4 relay anycast (deprecated)
        IPNetwork.Parse("192.168.0.0/16"),     // private
        IPNetwork.Parse("198.18.0.0/15"),      // benchmarking
        IPNetwork.Parse("198.51.100.0/24"),    // documentation (TEST-NET-2)
        IPNetwork.Parse("203.0.113.0/24"),     // documentation (TEST-NET-3)
        IPNetwork.Parse("224.0.0.0/4"),        // multicast
        IPNetwork.Parse("240.0.0.0/4"),        // reserved, and 255.255.255.255 broadcast
    ];

    // IPv6 is public only inside global unicast (2000::/3), which leaves out at once ::, ::1,
    // IPv4-compatible and -translated forms, NAT64 (64:ff9b::/96 and 64:ff9b:1::/48), discard
    // (100::/64), unique local (fc00::/7), link-local (fe80::/10), site-local (fec0::/10) and
    // multicast (ff00::/8). Inside it, these are not public either:
    private static readonly IPNetwork GlobalUnicastV6 = IPNetwork.Parse("2000::/3");

    private static readonly IPNetwork[] NotPublicV6 =
    [
        IPNetwork.Parse("2001::/23"),          // IETF protocol assignments (Teredo 2001::/32 tunnels to an embedded IPv4, ORCHID)
        IPNetwork.Parse("2001:db8::/32"),      // documentation
        IPNetwork.Parse("2002::/16"),          // 6to4: tunnels to the IPv4 address it embeds
        IPNetwork.Parse("3fff::/20"),          // documentation (RFC 9637)
    ];

    /// <summary>True for a globally routable unicast address; an IPv4-mapped IPv6 address is judged as its IPv4 address.</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => !NotPublicV4.Any(n => n.Contains(address)),
            AddressFamily.InterNetworkV6 => GlobalUnicastV6.Contains(address) && !NotPublicV6.Any(n => n.Contains(address)),
            _ => false,
        };
    }
}
