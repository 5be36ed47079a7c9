using System.Collections.Concurrent;

namespace ProcoreSimulator.PartnerEvents;

/// <summary>Keeps the newest events the stand-in partner endpoint received, oldest first.</summary>
public sealed class PartnerEventInbox
{
    /// <summary>How many events it keeps; older ones drop out, so a long demo cannot grow it without bound.</summary>
    public const int Capacity = 100;

    private readonly ConcurrentQueue<ReceivedEvent> _events = new();

    /// <summary>What it holds now.</summary>
    public IReadOnlyList<ReceivedEvent> All => [.. _events];

    /// <summary>Keeps <paramref name="received"/>, dropping the oldest beyond <see cref="Capacity"/>.</summary>
    public void Add(ReceivedEvent received)
    {
        _events.Enqueue(received);
        while (_events.Count > Capacity && _events.TryDequeue(out _))
        {
        }
    }
}
