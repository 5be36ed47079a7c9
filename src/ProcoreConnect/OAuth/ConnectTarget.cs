using System.Diagnostics.CodeAnalysis;
using ProcoreConnect.Clients;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.OAuth;

/// <summary>
/// What a connect needs: the workspace and its active OAuth client, or why the workspace cannot
/// connect through a browser (the workspace is kept when it was found, for the refusal's words).
/// </summary>
public sealed record ConnectTarget
{
    /// <summary>The workspace, when it exists.</summary>
    public Workspace? Workspace { get; init; }

    /// <summary>The workspace's OAuth client; set only when the workspace can connect.</summary>
    public OAuthClient? Client { get; init; }

    /// <summary>Why the workspace cannot connect; null when it can.</summary>
    public ConnectRefusal? Refusal { get; init; }

    /// <summary>True when the code flow can start: the workspace and its client are both set.</summary>
    [MemberNotNullWhen(true, nameof(Workspace), nameof(Client))]
    public bool CanConnect => Workspace is not null && Client is not null;
}
