namespace ProcoreConnect.Events;

/// <summary>A page of the caller's events, newest first; pass <c>continuationToken</c> back to get the next.</summary>
public sealed record EventListResponse(IReadOnlyList<EventRecord> Items, string? ContinuationToken);

/// <summary>The answer of <c>POST /api/partner/events/redeliver</c>: how many missed events were queued.</summary>
public sealed record RedeliveryResponse(int Queued, DateTimeOffset Since);
