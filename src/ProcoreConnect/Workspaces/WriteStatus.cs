namespace ProcoreConnect.Workspaces;

/// <summary>How a workspace write ended.</summary>
public enum WriteStatus
{
    /// <summary>A new workspace was created.</summary>
    Created,

    /// <summary>An existing workspace was changed.</summary>
    Updated,

    /// <summary>The workspace was deleted.</summary>
    Deleted,

    /// <summary>There is no such workspace.</summary>
    NotFound,

    /// <summary>The request is valid JSON but incomplete for this case (see <see cref="WriteOutcome.Field"/>).</summary>
    Invalid,

    /// <summary>Another write won the race, or the workspace is being deleted.</summary>
    Conflict,

    /// <summary>The caller's If-Match does not match.</summary>
    PreconditionFailed,
}
