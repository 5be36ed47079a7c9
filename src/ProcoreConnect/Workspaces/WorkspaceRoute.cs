using ProcoreConnect.Security;

namespace ProcoreConnect.Workspaces;

/// <summary>
/// The workspace a <c>workspaces/{id}</c> route names, in the calling partner's ids: a handler
/// parameter bound from the route and the caller (<see cref="WorkspaceRoutes"/> has checked the id).
/// </summary>
/// <param name="Ref">The caller's workspace of the route's id.</param>
public sealed record WorkspaceRoute(WorkspaceRef Ref)
{
    /// <summary>The route's workspace id.</summary>
    public string Id => Ref.Id;

    /// <summary>Binds it from the request (minimal APIs call this for the parameter).</summary>
    public static ValueTask<WorkspaceRoute?> BindAsync(HttpContext context) => ValueTask.FromResult<WorkspaceRoute?>(Of(context));

    /// <summary>The route's workspace as the caller's; the group's policy requires a partner.</summary>
    internal static WorkspaceRoute Of(HttpContext context) => new(new WorkspaceRef(
        context.User.PartnerId() ?? throw new InvalidOperationException("A workspaces/{id} route is a partner's: its group requires the partner policy."),
        context.GetRouteValue(WorkspaceRoutes.IdParameter) as string ?? ""));
}
