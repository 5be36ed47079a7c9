namespace ProcoreConnect.Common;

/// <summary>How a write of a stored resource (a workspace, an OAuth client) ended.</summary>
public enum WriteStatus
{
    /// <summary>The resource was created.</summary>
    Created,

    /// <summary>An existing resource was changed.</summary>
    Updated,

    /// <summary>The resource was deleted.</summary>
    Deleted,

    /// <summary>There is no such resource (or the caller may not see it).</summary>
    NotFound,

    /// <summary>The request is valid JSON but does not fit this case (see <see cref="WriteOutcome{T}.Field"/>).</summary>
    Invalid,

    /// <summary>Another write won the race, or the resource is in a state that forbids the write.</summary>
    Conflict,

    /// <summary>The caller's If-Match does not match.</summary>
    PreconditionFailed,

    /// <summary>Procore refused what the request carried (see <see cref="WriteOutcome{T}.Field"/>); nothing was changed.</summary>
    Refused,

    /// <summary>Procore could not be asked or failed; nothing was changed.</summary>
    UpstreamFailed,

    /// <summary>The caller may see the resource but not change it (a public OAuth client, for a partner).</summary>
    Forbidden,
}
