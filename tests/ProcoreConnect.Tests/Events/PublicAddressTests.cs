using System.Net;
using ProcoreConnect.Events;

namespace ProcoreConnect.Tests.Events;

/// <summary>The address classifier behind every partner event connection: one address per range it refuses.</summary>
public sealed class PublicAddressTests
{
    [Theory]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("0.1.2.3", "this network")]
    [InlineData("10.20.30.40", "private 10/8")]
    [InlineData("100.64.0.1", "carrier-grade NAT 100.64/10 (low end)")]
    [InlineData("100.127.255.254", "carrier-grade NAT 100.64/10 (high end)")]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.0.9", "loopback 127/8")]
    [InlineData("168.63.129.16", "Azure wireserver")]
    [InlineData("169.254.169.254", "link-local (instance metadata)")]
    [InlineData("169.254.0.1", "link-local")]
    [InlineData("172.16.0.1", "private 172.16/12 (low end)")]
    [InlineData("172.31.255.254", "private 172.16/12 (high end)")]
    [InlineData("192.0.0.8", "IETF protocol assignments")]
    [InlineData("192.0.2.1", "documentation TEST-NET-1")]
    [InlineData("192.88.99.1", "6to4 relay anycast")]
    [InlineData("192.168.1.1", "private 192.168/16")]
    [InlineData("198.18.0.1", "benchmarking 198.18/15 (low end)")]
    [InlineData("198.19.255.254", "benchmarking 198.18/15 (high end)")]
    [InlineData("198.51.100.7", "documentation TEST-NET-2")]
    [InlineData("203.0.113.9", "documentation TEST-NET-3")]
    [InlineData("224.0.0.251", "multicast")]
    [InlineData("239.255.255.250", "multicast")]
    [InlineData("240.0.0.1", "reserved")]
    [InlineData("255.255.255.255", "broadcast")]
    [InlineData("::", "IPv6 unspecified")]
    [InlineData("::1", "IPv6 loopback")]
    [InlineData("::127.0.0.1", "IPv4-compatible (deprecated)")]
    [InlineData("::ffff:0:a9fe:a9fe", "IPv4-translated")]
    [InlineData("64:ff9b::a9fe:a9fe", "NAT64 well-known prefix 64:ff9b::/96 (to 169.254.169.254)")]
    [InlineData("64:ff9b::808:808", "NAT64 well-known prefix, even to a public IPv4")]
    [InlineData("64:ff9b:1::a00:1", "NAT64 local-use prefix 64:ff9b:1::/48")]
    [InlineData("100::1", "discard-only")]
    [InlineData("fc00::1", "unique local fc00::/7")]
    [InlineData("fd12:3456:789a::1", "unique local fd00::/8")]
    [InlineData("fe80::1", "IPv6 link-local")]
    [InlineData("febf::1", "IPv6 link-local (high end)")]
    [InlineData("fec0::1", "site-local (deprecated)")]
    [InlineData("ff02::1", "IPv6 multicast")]
    [InlineData("2001::1", "Teredo")]
    [InlineData("2001:10::1", "ORCHID")]
    [InlineData("2001:db8::1", "IPv6 documentation")]
    [InlineData("2002:a9fe:a9fe::1", "6to4 (embeds 169.254.169.254)")]
    [InlineData("3fff::1", "IPv6 documentation 3fff::/20")]
    [InlineData("::ffff:127.0.0.1", "IPv4-mapped loopback")]
    [InlineData("::ffff:10.0.0.1", "IPv4-mapped private")]
    [InlineData("::ffff:169.254.169.254", "IPv4-mapped link-local")]
    [InlineData("::ffff:100.64.0.1", "IPv4-mapped carrier-grade NAT")]
    [InlineData("::ffff:168.63.129.16", "IPv4-mapped wireserver")]
    [InlineData("::ffff:198.18.0.1", "IPv4-mapped benchmarking")]
    [InlineData("::ffff:224.0.0.1", "IPv4-mapped multicast")]
    [InlineData("::ffff:0.0.0.0", "IPv4-mapped unspecified")]
    [InlineData("::ffff:255.255.255.255", "IPv4-mapped broadcast")]
    [InlineData("::ffff:192.0.2.1", "IPv4-mapped documentation")]
    public void Refuses(string address, string range) =>
        Assert.False(PublicAddress.IsPublic(IPAddress.Parse(address)), $"{address} ({range}) must not be public");

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("20.50.2.1")]
    [InlineData("100.63.255.255")] // just below 100.64/10
    [InlineData("100.128.0.0")] // just above
    [InlineData("168.63.129.17")] // wireserver's neighbour
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.0")]
    [InlineData("198.17.255.255")]
    [InlineData("198.20.0.0")]
    [InlineData("223.255.255.255")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001:81b::200e")]
    [InlineData("2001:200::1")] // just past 2001::/23
    [InlineData("::ffff:8.8.8.8")]
    public void Accepts(string address) =>
        Assert.True(PublicAddress.IsPublic(IPAddress.Parse(address)), $"{address} is public");
}
