using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace ProcoreConnect.Events;

/// <summary>
/// The connection handler of partner event deliveries. It resolves the partner's host itself and
/// connects only when every address it resolves to is public (<see cref="PublicAddress"/>), to
/// exactly the addresses it checked: a name that resolves to an internal address, or that
/// resolves to a public one when the URL is saved and to an internal one later (DNS rebinding),
/// never reaches the internal address. Redirects are not followed (a 307 would carry the body and
/// its signature elsewhere) and no proxy is used (the check must see the partner's address).
/// </summary>
public sealed class PublicAddressConnector(HostAddressResolver resolver, IOptions<EventOptions> options)
{
    /// <summary>A new primary handler for the event delivery client.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        // The client lives in a singleton: recycled connections pick up DNS changes (and are checked again).
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        AllowAutoRedirect = false,
        UseProxy = false,
        ConnectCallback = ConnectAsync,
    };

    // A registration waits this long at most for DNS; the connect-time check decides anyway.
    private static readonly TimeSpan RegistrationLookupTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// For a registration: true when the host resolves now to an address the service would refuse
    /// to connect to, so the partner hears it at once. A name that does not resolve (yet) is not
    /// refused here; every delivery checks again at connect time.
    /// </summary>
    public async Task<bool> ResolvesToRefusedAddressAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RegistrationLookupTimeout);
        try
        {
            return !(await resolver.ResolveAsync(url.IdnHost, timeout.Token)).All(IsAllowed);
        }
        catch (Exception ex) when (ex is SocketException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    /// <summary>May the service connect to <paramref name="address"/>: public, or loopback when the development switch allows it.</summary>
    public bool IsAllowed(IPAddress address) =>
        PublicAddress.IsPublic(address) || (options.Value.AllowInsecureLoopback && IPAddress.IsLoopback(address));

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await resolver.ResolveAsync(context.DnsEndPoint.Host, cancellationToken);
        // One internal address among public ones refuses the name: it was put there for a reason.
        if (addresses.Length == 0 || !addresses.All(IsAllowed))
        {
            // The host only, never the URL: its path or query may hold the partner's own secret.
            throw new HttpRequestException(
                HttpRequestError.ConnectionError, $"Host '{context.DnsEndPoint.Host}' resolves to an address that is not public; nothing was sent.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
