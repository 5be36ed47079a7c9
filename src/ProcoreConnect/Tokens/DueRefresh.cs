using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tokens;

/// <summary>A due-index entry: something whose token should be refreshed at <see cref="DueAt"/>.</summary>
public abstract record DueRefresh(DateTimeOffset DueAt)
{
    /// <summary>What is refreshed, as a key of the lease and index tables.</summary>
    public abstract string Subject { get; }
}

/// <summary>An authorization-code workspace whose refresh token is due.</summary>
public sealed record DueWorkspace(WorkspaceRef Workspace, string WorkspaceKey, DateTimeOffset DueAt) : DueRefresh(DueAt)
{
    /// <inheritdoc />
    public override string Subject => WorkspaceKey;
}

/// <summary>A client-credentials client's shared token in one environment.</summary>
public sealed record DueClientToken(ClientTokenKey Token, DateTimeOffset DueAt) : DueRefresh(DueAt)
{
    /// <inheritdoc />
    public override string Subject => Token.Value;
}
