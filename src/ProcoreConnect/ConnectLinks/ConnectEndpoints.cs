using Microsoft.AspNetCore.Http.HttpResults;
using ProcoreConnect.Http;
using ProcoreConnect.OAuth;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.ConnectLinks;

/// <summary>The end of the authorization code flow (Procore's redirect back), and the refusals every way in shares.</summary>
public static class ConnectEndpoints
{
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

    /// <summary>
    /// <c>GET /api/oauth/callback</c>: Procore's redirect back with a code (or an error). The code is
    /// exchanged only in the browser that pressed Connect (its sign-in cookie).
    /// </summary>
    public static Task<IResult> Callback(
        string? state, string? code, string? error, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "error_description")] string? errorDescription,
        HttpRequest request, OAuthCallback callback, CancellationToken cancellationToken) =>
        callback.HandleAsync(request, new CallbackParameters(state, code, error, errorDescription), cancellationToken);
}
