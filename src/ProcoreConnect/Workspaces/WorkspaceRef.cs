namespace ProcoreConnect.Workspaces;

/// <summary>
/// Names a workspace: the partner that owns it and the partner's id for it. Ids are scoped by
/// partner, so two partners may both have an <c>acme-hq</c> and neither can learn of the other's.
/// </summary>
public readonly record struct WorkspaceRef(string PartnerId, string Id)
{
    /// <inheritdoc />
    public override string ToString() => PartnerId + "/" + Id;
}
