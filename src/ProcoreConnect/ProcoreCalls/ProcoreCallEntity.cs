using Azure;
using Azure.Data.Tables;

namespace ProcoreConnect.ProcoreCalls;

/// <summary>A call log row: partition the workspace's key, row key its time inverted (newest first) and a random suffix.</summary>
public sealed class ProcoreCallEntity : ITableEntity
{
    /// <inheritdoc />
    public string PartitionKey { get; set; } = "";

    /// <inheritdoc />
    public string RowKey { get; set; } = "";

    /// <inheritdoc />
    public DateTimeOffset? Timestamp { get; set; }

    /// <inheritdoc />
    public ETag ETag { get; set; }

    /// <summary>The workspace's partner.</summary>
    public string PartnerId { get; set; } = "";

    /// <summary>The workspace's id (the partition is its key: a re-created workspace starts a log of its own).</summary>
    public string WorkspaceId { get; set; } = "";

    /// <summary>The OAuth client's key, for metrics and for finding a client's calls.</summary>
    public string Client { get; set; } = "";

    /// <summary>See <see cref="ProcoreCall.At"/>.</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>See <see cref="ProcoreCall.Method"/>.</summary>
    public string Method { get; set; } = "";

    /// <summary>See <see cref="ProcoreCall.Path"/>.</summary>
    public string Path { get; set; } = "";

    /// <summary>See <see cref="ProcoreCall.Status"/>.</summary>
    public int Status { get; set; }

    /// <summary>See <see cref="ProcoreCall.AnsweredLocally"/>.</summary>
    public bool AnsweredLocally { get; set; }

    /// <summary>See <see cref="ProcoreCall.DurationMs"/>.</summary>
    public double DurationMs { get; set; }

    /// <summary>See <see cref="ProcoreCall.ProcoreRequestId"/>.</summary>
    public string? ProcoreRequestId { get; set; }

    /// <summary>See <see cref="ProcoreCall.RateLimitRemaining"/>.</summary>
    public long? RateLimitRemaining { get; set; }

    /// <summary>See <see cref="ProcoreCall.Retried"/>.</summary>
    public bool Retried { get; set; }

    /// <summary>The call as the API lists it.</summary>
    public ProcoreCall ToCall() => new()
    {
        At = At, Method = Method, Path = Path, Status = Status, AnsweredLocally = AnsweredLocally, DurationMs = DurationMs,
        ProcoreRequestId = ProcoreRequestId, RateLimitRemaining = RateLimitRemaining, Retried = Retried,
    };
}
