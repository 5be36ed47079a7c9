using System.Net.Sockets;
using System.Text;

namespace ProcoreConnect.Tests.Infrastructure;

/// <summary>
/// Sends one HTTP/1.1 request with its request target exactly as written: HttpClient would
/// normalise dot segments and escapes before sending, which is what a path trick relies on.
/// </summary>
public static class RawHttp
{
    /// <summary>Sends <paramref name="method"/> <paramref name="target"/> to <paramref name="server"/>; answers the status code.</summary>
    public static async Task<int> SendAsync(Uri server, string method, string target, IReadOnlyDictionary<string, string> headers) =>
        (await ExchangeAsync(server, method, target, headers)).Status;

    /// <summary>As <see cref="SendAsync"/>, and the rest of the answer (headers and body) as text.</summary>
    public static async Task<(int Status, string Text)> ExchangeAsync(Uri server, string method, string target, IReadOnlyDictionary<string, string> headers)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        var request = new StringBuilder($"{method} {target} HTTP/1.1\r\nHost: {server.Authority}\r\nConnection: close\r\n");
        foreach (var (name, value) in headers)
        {
            request.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        await stream.WriteAsync(Encoding.Latin1.GetBytes(request.Append("\r\n").ToString()));
        using var reader = new StreamReader(stream, Encoding.Latin1);
        var status = await reader.ReadLineAsync() ?? throw new InvalidOperationException($"No answer to {method} {target}.");
        return (int.Parse(status.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), await reader.ReadToEndAsync());
    }
}
