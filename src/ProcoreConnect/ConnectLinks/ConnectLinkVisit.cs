using ProcoreConnect.OAuth;

namespace ProcoreConnect.ConnectLinks;

/// <summary>What opening a link found: the link, its workspace and client, and the page to show.</summary>
public sealed record ConnectLinkVisit
{
    /// <summary>The link, when the token names one.</summary>
    public ConnectLink? Link { get; init; }

    /// <summary>The workspace and client the link connects (connectable unless the view is <see cref="ConnectLinkView.NotFound"/>).</summary>
    public required ConnectTarget Target { get; init; }

    /// <summary>The page to show.</summary>
    public required ConnectLinkView View { get; init; }

    /// <summary>The link's partner as its page shows it; null when no link was found.</summary>
    public Http.PageBranding? Branding { get; init; }
}
