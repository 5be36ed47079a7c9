namespace ProcoreConnect.Events;

/// <summary>The connection events partners receive.</summary>
public static class EventTypes
{
    /// <summary>A workspace got its first tokens (browser flow, imported refresh token, or client credentials).</summary>
    public const string Connected = "connected";

    /// <summary>
    /// A connection stopped working: Procore refused its refresh token (<c>needs_reauthorization</c>)
    /// or its client's secret (<c>invalid_client</c>), its refreshes failed three times in a row
    /// (<c>refresh_failing</c>), or the daily check failed (<c>check_failing</c>). Sent once per
    /// change, not per failure. For a client-credentials client's shared token, <c>workspaceId</c> is
    /// null and <c>data</c> names the client and environment.
    /// </summary>
    public const string ConnectionBroken = "connection.broken";

    /// <summary>A broken connection works again. Sent once per change.</summary>
    public const string ConnectionRecovered = "connection.recovered";

    /// <summary>An OAuth client's secret expires within 30 days (<c>workspaceId</c> null, <c>data.oauthClient</c>).</summary>
    public const string SecretExpiring = "secret_expiring";
}
