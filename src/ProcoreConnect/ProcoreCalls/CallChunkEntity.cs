using Azure;
using Azure.Data.Tables;

namespace ProcoreConnect.ProcoreCalls;

/// <summary>
/// A call log row holding many calls of one workspace from one flush: partition the workspace's
/// key, row key the newest call's end inverted (newest first) and a random suffix.
/// </summary>
public sealed class CallChunkEntity : ITableEntity
{
    /// <inheritdoc />
    public string PartitionKey { get; set; } = "";

    /// <inheritdoc />
    public string RowKey { get; set; } = "";

    /// <inheritdoc />
    public DateTimeOffset? Timestamp { get; set; }

    /// <inheritdoc />
    public ETag ETag { get; set; }

    /// <summary>When its newest call ended; the purge deletes the chunk once this is past retention.</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>How many calls <see cref="Calls"/> holds.</summary>
    public int Count { get; set; }

    /// <summary>The calls, newest-ended first (<see cref="CallChunkCodec"/>).</summary>
    public byte[]? Calls { get; set; }
}
