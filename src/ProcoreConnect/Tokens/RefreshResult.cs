namespace ProcoreConnect.Tokens;

/// <summary>What a refresh of one due workspace did.</summary>
public enum RefreshResult
{
    /// <summary>A new token was obtained and stored.</summary>
    Refreshed,

    /// <summary>Nothing to do: not due, not connected, gone, or a stale index entry.</summary>
    Skipped,

    /// <summary>The index entry no longer matches a refreshable row; it can be dropped.</summary>
    Stale,

    /// <summary>Procore or storage failed; the entry stays and the next sweep retries.</summary>
    Failed,
}
