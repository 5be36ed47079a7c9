namespace ProcoreConnect.Workspaces;

/// <summary>Where a workspace's connection stands.</summary>
public enum WorkspaceStatus
{
    /// <summary>Configured, not yet connected.</summary>
    Pending,

    /// <summary>Tokens are held and valid.</summary>
    Connected,

    /// <summary>Procore refused the refresh token; a person must connect again.</summary>
    NeedsReauthorization,

    /// <summary>Turned off by an operator.</summary>
    Disabled,

    /// <summary>Being deleted; invisible to the API, finished by the purge timer if a delete was cut short.</summary>
    Deleting,
}
