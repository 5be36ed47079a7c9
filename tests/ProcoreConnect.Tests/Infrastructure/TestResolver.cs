using System.Net;
using System.Net.Sockets;
using ProcoreConnect.Events;

namespace ProcoreConnect.Tests.Infrastructure;

/// <summary>
/// Resolves partner host names as the test says, so tests can use names that point at internal
/// addresses without DNS: each name answers in turn with the answers given, the last one from then
/// on; an unknown name is not found.
/// </summary>
public sealed class TestResolver : HostAddressResolver
{
    private readonly Dictionary<string, Queue<IPAddress[]>> _answers = new(StringComparer.OrdinalIgnoreCase);

    public TestResolver Answer(string host, params IPAddress[][] answers)
    {
        lock (_answers)
        {
            _answers[host] = new Queue<IPAddress[]>(answers);
        }

        return this;
    }

    public override Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        lock (_answers)
        {
            return _answers.TryGetValue(host, out var queue)
                ? Task.FromResult(queue.Count > 1 ? queue.Dequeue() : queue.Peek())
                : throw new SocketException((int)SocketError.HostNotFound);
        }
    }
}
