namespace ProcoreConnect.ConnectLinks;

/// <summary>The body of <c>POST /api/workspaces/{id}/connect-links</c>; every field optional, and so is the body.</summary>
public sealed record ConnectLinkRequest
{
    /// <summary>Where the browser goes after the sign-in, on an allowed origin (as for <c>/connect</c>).</summary>
    public string? ReturnUrl { get; init; }

    /// <summary>How long the link works, in seconds: 1 to 604800 (7 days); default 3600.</summary>
    public long? LifetimeSeconds { get; init; }
}
