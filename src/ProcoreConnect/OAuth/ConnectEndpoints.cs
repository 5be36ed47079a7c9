using Microsoft.AspNetCore.Http.HttpResults;
using ProcoreConnect.Http;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.OAuth;

/// <summary>The authorization code flow: start it for a workspace, and land from Procore.</summary>
public static class ConnectEndpoints
{
    /// <summary><c>GET /api/workspaces/{id}/connect?returnUrl=</c>: redirects the browser to Procore's sign-in.</summary>
    public static async Task<Results<RedirectHttpResult, ValidationProblem, ProblemHttpResult>> Connect(
        string id,
        string? returnUrl,
        System.Security.Claims.ClaimsPrincipal user,
        ConnectFlow flow,
        CancellationToken cancellationToken)
    {
        if (!WorkspaceId.IsValid(id))
        {
            return Problems.InvalidWorkspaceId();
        }

        if (!flow.TryReturnUrl(returnUrl, out var returnTo))
        {
            return InvalidReturnUrl();
        }

        var target = await flow.FindAsync(new WorkspaceRef(Security.Caller.PartnerId(user)!, id), key: null, cancellationToken);
        if (!target.CanConnect)
        {
            return Refused(id, target);
        }

        var authorize = await flow.BeginAsync(target, flow.NewState(target, returnTo), cancellationToken);
        return TypedResults.Redirect(authorize.ToString());
    }

    /// <summary>The 400 for a <c>returnUrl</c> off the allow-list.</summary>
    public static ValidationProblem InvalidReturnUrl() =>
        Problems.Field("returnUrl", ReturnUrls.Rule);

    /// <summary>The problem for a workspace that cannot start the code flow.</summary>
    public static ProblemHttpResult Refused(string id, ConnectTarget target) => target.Refusal switch
    {
        ConnectRefusal.ClientCredentials => Problems.Conflict("This workspace uses client_credentials: it connects without a browser (call /token or /validate)."),
        ConnectRefusal.ClientGone => Problems.Conflict($"The workspace's OAuth client '{target.Workspace!.Client.Name}' no longer exists."),
        _ => Problems.WorkspaceNotFound(id),
    };

    /// <summary><c>GET /api/oauth/callback</c>: Procore's redirect back with a code (or an error).</summary>
    public static Task<IResult> Callback(string? state, string? code, string? error, OAuthCallback callback, CancellationToken cancellationToken) =>
        callback.HandleAsync(state, code, error, cancellationToken);
}
