namespace ProcoreConnect.Tokens;

/// <summary>When and how tokens are refreshed.</summary>
public sealed class TokenOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Tokens";

    /// <summary>A token this close to expiry is refreshed before it is handed out.</summary>
    public TimeSpan RefreshLeadTime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a refresh lease lasts; longer than any token request can take.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a caller waits for another instance's refresh before giving up with 503.</summary>
    public TimeSpan LeaseWait { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Attempts to persist a new refresh token before giving up (it stays in memory then).</summary>
    public int PersistAttempts { get; set; } = 5;

    /// <summary>Whether a token expiring at <paramref name="expiresAt"/> (none: never fetched) is due for a refresh at <paramref name="now"/>.</summary>
    public bool IsDue(DateTimeOffset? expiresAt, DateTimeOffset now) => expiresAt is null || expiresAt.Value - RefreshLeadTime <= now;
}
