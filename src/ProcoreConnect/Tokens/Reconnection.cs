using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tokens;

/// <summary>A reconnect's outcome: the workspace as saved (null: not saved), and the replaced grant's access token to revoke.</summary>
public sealed record Reconnection(Workspace? Saved, string? ReplacedAccessToken)
{
    /// <summary>Never the token.</summary>
    public override string ToString() => $"{nameof(Reconnection)} {{ saved {Saved is not null}, replaced {ReplacedAccessToken is not null} }}";
}
