namespace ProcoreConnect.Tokens;

/// <summary>How a request for a shared token ended; <see cref="RetryAt"/> says when to try again while backing off.</summary>
public sealed record SharedTokenOutcome(TokenStatus Status, SharedToken? Token, string? Detail)
{
    /// <summary>When the next try may be, while backing off after failures.</summary>
    public DateTimeOffset? RetryAt { get; init; }

    /// <summary>A token.</summary>
    public static SharedTokenOutcome Ok(SharedToken token) => new(TokenStatus.Ok, token, null);
}
