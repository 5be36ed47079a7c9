namespace ProcoreConnect.Procore;

/// <summary>Procore's report of one token's nearer rate limit: <c>X-Rate-Limit-Limit</c>, <c>-Remaining</c> and <c>-Reset</c>.</summary>
/// <param name="Limit">Requests the window allows.</param>
/// <param name="Remaining">Requests left in it.</param>
/// <param name="Reset">When the window resets.</param>
public sealed record ProcoreRateLimit(long Limit, long Remaining, DateTimeOffset Reset);
