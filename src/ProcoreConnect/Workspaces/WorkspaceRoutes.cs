using ProcoreConnect.Http;
using ProcoreConnect.OpenApi;
using ProcoreConnect.Security;

namespace ProcoreConnect.Workspaces;

/// <summary>
/// The <c>workspaces/{id}</c> route group every feature maps a workspace's endpoints in: a
/// partner's, with the id checked (400) and, for a handler that takes a <see cref="VisibleWorkspace"/>,
/// the workspace found (404), once for all of them.
/// </summary>
public static class WorkspaceRoutes
{
    /// <summary>The route parameter naming the workspace.</summary>
    public const string IdParameter = "id";

    /// <summary>The group, under <paramref name="api"/>: for partners only, its ids checked.</summary>
    public static RouteGroupBuilder MapWorkspaceGroup(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("workspaces/{" + IdParameter + "}").RequireAuthorization(Roles.Partner);
        group.AddEndpointFilterFactory(static (factory, next) =>
        {
            var found = Array.FindIndex(factory.MethodInfo.GetParameters(), p => p.ParameterType == typeof(VisibleWorkspace));
            return context =>
            {
                var id = context.HttpContext.GetRouteValue(IdParameter) as string;
                if (!WorkspaceId.IsValid(id))
                {
                    return ValueTask.FromResult<object?>(Problems.InvalidWorkspaceId());
                }

                return found >= 0 && !context.GetArgument<VisibleWorkspace>(found).Found
                    ? ValueTask.FromResult<object?>(Problems.WorkspaceNotFound(id!))
                    : next(context);
            };
        });
        return group;
    }

    /// <summary>The group's 400, for the endpoints' descriptions.</summary>
    public static ResponseDoc InvalidId => ResponseDoc.Invalid(Problems.InvalidWorkspaceId(), "The id is not a workspace id.");

    /// <summary>The 404 of a workspace the caller does not have, for the endpoints' descriptions.</summary>
    public static ResponseDoc NotFound => ResponseDoc.Problem(
        Problems.WorkspaceNotFound(ApiExamples.WorkspaceId), "The caller has no workspace of this id (another partner's answers the same).");
}
