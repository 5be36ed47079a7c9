using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using ProcoreConnect.Http;
using ProcoreConnect.OAuth;
using ProcoreConnect.Security;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.ConnectLinks;

/// <summary>
/// Connect links: a partner asks for one, and a person opens it in a plain browser, without
/// credentials, to connect the workspace through the code flow.
/// </summary>
public static class ConnectLinkEndpoints
{
    /// <summary>The longest a link may live: 7 days.</summary>
    public const long MaxLifetimeSeconds = 7 * 24 * 3600;

    /// <summary>How long a link lives unless the partner says otherwise: 1 hour.</summary>
    public const long DefaultLifetimeSeconds = 3600;

    /// <summary><c>POST /api/workspaces/{id}/connect-links</c>: a new link for a code-flow workspace.</summary>
    public static async Task<Results<Created<ConnectLinkResponse>, ValidationProblem, ProblemHttpResult>> Create(
        string id,
        HttpRequest request,
        ClaimsPrincipal user,
        ConnectFlow flow,
        ConnectLinkService service,
        CancellationToken cancellationToken)
    {
        if (!WorkspaceId.IsValid(id))
        {
            return Problems.InvalidWorkspaceId();
        }

        // No body at all is the common case (every default); a body, when sent, is read strictly.
        var body = new ConnectLinkRequest();
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0 || request.HasJsonContentType())
        {
            var (read, problem) = await JsonBody.ReadAsync<ConnectLinkRequest>(request, cancellationToken);
            if (problem is not null)
            {
                return problem;
            }

            body = read!;
        }

        var errors = new Dictionary<string, List<string>>();
        var partnerId = user.PartnerId()!;
        var (allowed, returnTo) = await flow.ReturnUrlAsync(partnerId, body.ReturnUrl, cancellationToken);
        if (!allowed)
        {
            errors["returnUrl"] = [ReturnUrls.Rule];
        }

        var lifetime = body.LifetimeSeconds ?? DefaultLifetimeSeconds;
        if (lifetime is < 1 or > MaxLifetimeSeconds)
        {
            errors["lifetimeSeconds"] = [$"Must be a whole number of seconds from 1 to {MaxLifetimeSeconds} (7 days); the default is {DefaultLifetimeSeconds}."];
        }

        if (errors.Count > 0)
        {
            return Problems.Fields(errors);
        }

        var target = await flow.FindAsync(new WorkspaceRef(partnerId, id), key: null, cancellationToken);
        if (!target.CanConnect)
        {
            return ConnectEndpoints.Refused(id, target);
        }

        return TypedResults.Created((string?)null, await service.CreateAsync(target, returnTo, TimeSpan.FromSeconds(lifetime), user.Actor(), cancellationToken));
    }

    /// <summary>How long the link made by <c>GET /api/workspaces/{id}/connect</c> lasts: a sign-in that starts now.</summary>
    public static readonly TimeSpan ConnectRedirectLifetime = TimeSpan.FromMinutes(15);

    /// <summary>
    /// <c>GET /api/workspaces/{id}/connect?returnUrl=</c>: a 302 to a fresh connect link's page
    /// (lasting <see cref="ConnectRedirectLifetime"/>), never straight to Procore: every sign-in
    /// starts on this service's page, which ties it to the browser that presses Connect.
    /// </summary>
    public static async Task<Results<RedirectHttpResult, ValidationProblem, ProblemHttpResult>> Connect(
        string id, string? returnUrl, ClaimsPrincipal user, ConnectFlow flow, ConnectLinkService service, CancellationToken cancellationToken)
    {
        if (!WorkspaceId.IsValid(id))
        {
            return Problems.InvalidWorkspaceId();
        }

        var partnerId = user.PartnerId()!;
        var (allowed, returnTo) = await flow.ReturnUrlAsync(partnerId, returnUrl, cancellationToken);
        if (!allowed)
        {
            return ConnectEndpoints.InvalidReturnUrl();
        }

        var target = await flow.FindAsync(new WorkspaceRef(partnerId, id), key: null, cancellationToken);
        if (!target.CanConnect)
        {
            return ConnectEndpoints.Refused(id, target);
        }

        var link = await service.CreateAsync(target, returnTo, ConnectRedirectLifetime, user.Actor(), cancellationToken, reconnect: true);
        return TypedResults.Redirect(link.Url.ToString());
    }

    /// <summary><c>GET /api/connect/{token}</c> (anonymous): the link's page. Never changes anything.</summary>
    public static Task<HtmlPage> Show(string token, ConnectLinkService service, CancellationToken cancellationToken) =>
        service.ShowAsync(token, cancellationToken);

    /// <summary>
    /// <c>POST /api/connect/{token}</c> (anonymous): the page's Connect button. A post another site
    /// made the browser send is refused (403) and changes nothing: it would sign the person in for a
    /// workspace they never saw the page of.
    /// </summary>
    public static async Task<HtmlPage> Start(
        string token, HttpRequest request, ConnectLinkService service, Hosting.PublicUrls urls, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (CrossSitePress.IsForeign(request, urls.Callback))
        {
            loggers.CreateLogger("ProcoreConnect.ConnectLinks").LogWarning("Connect press refused: posted from another site");
            return HtmlPage.Render(StatusCodes.Status403Forbidden, "Open the link itself",
                "<h1 data-state=\"cross-site\">Open the link itself</h1><p>This sign-in was started from another website, so nothing was done. "
                + "Open the connect link you were sent, check what it connects, and press Connect there.</p>");
        }

        return await service.StartAsync(token, cancellationToken);
    }
}
