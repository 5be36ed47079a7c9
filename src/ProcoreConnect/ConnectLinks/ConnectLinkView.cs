namespace ProcoreConnect.ConnectLinks;

/// <summary>Which page a person sees at a connect link.</summary>
public enum ConnectLinkView
{
    /// <summary>No such link, or its workspace is gone (or was created anew, or no longer uses the browser flow).</summary>
    NotFound,

    /// <summary>The Connect button (with how the last try ended, if one did).</summary>
    Open,

    /// <summary>The workspace is connected already; the link offers nothing.</summary>
    AlreadyConnected,

    /// <summary>A sign-in started with the link may still come back; the page offers to start over.</summary>
    InProgress,

    /// <summary>The link connected the workspace once and never works again.</summary>
    Used,

    /// <summary>The link's lifetime is over.</summary>
    Expired,
}
