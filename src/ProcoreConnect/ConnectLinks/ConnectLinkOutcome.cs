namespace ProcoreConnect.ConnectLinks;

/// <summary>How a sign-in started from a connect link ended. Wire names: connected, denied, failed.</summary>
public enum ConnectLinkOutcome
{
    /// <summary>The workspace is connected; the link is used up.</summary>
    Connected,

    /// <summary>The person denied access in Procore; the link can be used again within its lifetime.</summary>
    Denied,

    /// <summary>Procore answered no code or refused the exchange; the link can be used again within its lifetime.</summary>
    Failed,
}
