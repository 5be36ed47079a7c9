namespace ProcoreConnect.Workspaces;

/// <summary>
/// The caller's workspace a <c>workspaces/{id}</c> route names, read for the handler: a handler
/// parameter whose lookup is done once, here, and whose absence <see cref="WorkspaceRoutes"/>
/// answers 404 before the handler runs.
/// </summary>
public sealed class VisibleWorkspace
{
    private readonly Workspace? _found;

    private VisibleWorkspace(Workspace? found) => _found = found;

    /// <summary>The workspace (a handler only runs when there is one).</summary>
    public Workspace Value => _found ?? throw new InvalidOperationException("No workspace: the workspaces/{id} group answers 404 before the handler runs.");

    /// <summary>Whether the caller has a workspace of the route's id.</summary>
    internal bool Found => _found is not null;

    /// <summary>
    /// Binds it from the request (minimal APIs call this for the parameter): the caller's
    /// workspace of the route's id, unless it is deleting. An id of the wrong shape is looked up in
    /// no table; the group refuses it.
    /// </summary>
    public static async ValueTask<VisibleWorkspace?> BindAsync(HttpContext context)
    {
        var route = WorkspaceRoute.Of(context);
        return WorkspaceId.IsValid(route.Id)
            ? new VisibleWorkspace(await context.RequestServices.GetRequiredService<WorkspaceRepository>().FindVisibleAsync(route.Ref, context.RequestAborted))
            : new VisibleWorkspace(null);
    }
}
