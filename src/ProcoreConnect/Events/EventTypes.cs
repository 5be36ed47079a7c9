namespace ProcoreConnect.Events;

/// <summary>The connection events partners receive.</summary>
public static class EventTypes
{
    /// <summary>A workspace got its first tokens (browser flow or client credentials).</summary>
    public const string Connected = "connected";

    /// <summary>A refresh failed for a reason that may pass (Procore or network); it is retried.</summary>
    public const string RefreshFailed = "refresh_failed";

    /// <summary>Procore refused the refresh token or the grant was revoked: a person must connect again.</summary>
    public const string NeedsReauthorization = "needs_reauthorization";

    /// <summary>The client secret expires within 30 days.</summary>
    public const string SecretExpiring = "secret_expiring";
}
