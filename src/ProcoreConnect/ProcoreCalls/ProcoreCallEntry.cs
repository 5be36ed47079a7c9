namespace ProcoreConnect.ProcoreCalls;

/// <summary>One proxied call on its way to the call log: what the API lists, and whose it is.</summary>
public sealed class ProcoreCallEntry
{
    /// <summary>The workspace's partner.</summary>
    public required string PartnerId { get; init; }

    /// <summary>The workspace's id.</summary>
    public required string WorkspaceId { get; init; }

    /// <summary>The workspace's key (its log's partition), once its token said it; else the recorder looks it up.</summary>
    public string WorkspaceKey { get; set; } = "";

    /// <summary>See <see cref="ProcoreCall.At"/>.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>See <see cref="ProcoreCall.Method"/>.</summary>
    public required string Method { get; init; }

    /// <summary>See <see cref="ProcoreCall.Path"/>.</summary>
    public required string Path { get; init; }

    /// <summary>See <see cref="ProcoreCall.Status"/>.</summary>
    public required int Status { get; init; }

    /// <summary>See <see cref="ProcoreCall.AnsweredLocally"/>.</summary>
    public bool AnsweredLocally { get; init; }

    /// <summary>See <see cref="ProcoreCall.DurationMs"/>.</summary>
    public double DurationMs { get; init; }

    /// <summary>See <see cref="ProcoreCall.ProcoreRequestId"/>.</summary>
    public string? ProcoreRequestId { get; init; }

    /// <summary>See <see cref="ProcoreCall.RateLimitRemaining"/>.</summary>
    public long? RateLimitRemaining { get; init; }

    /// <summary>See <see cref="ProcoreCall.Retried"/>.</summary>
    public bool Retried { get; init; }

    /// <summary>See <see cref="ProcoreCall.Error"/>.</summary>
    public string? Error { get; init; }

    /// <summary>When the call ended: the log lists calls in this order.</summary>
    public DateTimeOffset Ended => At + TimeSpan.FromMilliseconds(DurationMs);

    /// <summary>The call as the API lists it.</summary>
    public ProcoreCall ToCall() => new()
    {
        At = At, Method = Method, Path = Path, Status = Status, AnsweredLocally = AnsweredLocally, DurationMs = DurationMs,
        ProcoreRequestId = ProcoreRequestId, RateLimitRemaining = RateLimitRemaining, Retried = Retried, Error = Error,
    };
}
