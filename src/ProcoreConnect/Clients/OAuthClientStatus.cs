namespace ProcoreConnect.Clients;

/// <summary>Where an OAuth client stands.</summary>
public enum OAuthClientStatus
{
    /// <summary>Usable by workspaces.</summary>
    Active,

    /// <summary>Being deleted: no new workspace may reference it.</summary>
    Deleting,
}
