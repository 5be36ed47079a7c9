namespace ProcoreConnect.ConnectLinks;

/// <summary>Where a connect link stands at a given moment.</summary>
public enum ConnectLinkStatus
{
    /// <summary>Unused and within its lifetime: its page offers the Connect button.</summary>
    Open,

    /// <summary>Someone pressed Connect and that sign-in may still come back (until its state expires); a new press replaces it.</summary>
    InProgress,

    /// <summary>A sign-in started with it connected the workspace: it never works again.</summary>
    Used,

    /// <summary>Its lifetime is over.</summary>
    Expired,
}
