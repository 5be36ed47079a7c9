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

    /// <summary>
    /// A connected workspace lost its grant because the partner moved it to another OAuth client,
    /// environment or (authorization code) company (<c>PUT</c> or <c>PATCH</c> of its connection): the
    /// grant was revoked at Procore and the workspace is <c>pending</c> until a person connects it again.
    /// <c>data.reason</c> is <c>oauth_client_changed</c>, <c>environment_changed</c> or <c>company_changed</c>;
    /// <c>data.previous</c> names what it was on.
    /// Not sent for a refused grant (that is <see cref="ConnectionBroken"/>) nor a delete (<see cref="WorkspaceDeleted"/>).
    /// </summary>
    public const string WorkspaceDisconnected = "workspace.disconnected";

    /// <summary>
    /// A workspace was deleted (its grant revoked, its secrets gone). <c>data</c> carries what it was
    /// and its audit trail (<c>history</c>, newest first), which is not readable from the API afterwards.
    /// </summary>
    public const string WorkspaceDeleted = "workspace.deleted";

    /// <summary>An OAuth client's secret expires within 30 days (<c>workspaceId</c> null, <c>data.oauthClient</c>).</summary>
    public const string SecretExpiring = "secret_expiring";
}
