namespace ProcoreConnect.OAuth;

/// <summary>Why a workspace cannot start the authorization code flow.</summary>
public enum ConnectRefusal
{
    /// <summary>No such workspace for this partner (or it is being deleted, or it is another creation of the id).</summary>
    WorkspaceNotFound,

    /// <summary>The workspace's client uses client credentials: it connects without a browser.</summary>
    ClientCredentials,

    /// <summary>The workspace's OAuth client is gone (or being deleted).</summary>
    ClientGone,
}
