using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using ProcoreConnect.Http;
using ProcoreConnect.OAuth;
using ProcoreConnect.OpenApi;
using ProcoreConnect.Security;
using ProcoreConnect.Workspaces;
using static ProcoreConnect.OpenApi.ResponseDoc;

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

    /// <summary>
    /// Maps the partner's two ways into a sign-in (a redirect and a link of its own) and the link's
    /// page: a person's browser opens it without credentials, the token in the path being the
    /// credential, so the path is kept out of logs and traces.
    /// </summary>
    public static IEndpointRouteBuilder MapConnectLinks(this IEndpointRouteBuilder api)
    {
        var workspace = api.MapWorkspaceGroup().WithTags(ApiTags.Connecting);
        workspace.MapGet("connect", Connect)
            .WithName("Connect")
            .WithSummary("Start the authorization code flow")
            .WithDescription("Call it server-side with the partner's credentials and send the person's browser to the `Location` it answers "
                + $"(the browser holds no API key): a new connect link's page, valid {ConnectRedirectLifetime.TotalMinutes} minutes, "
                + "whose Connect button starts the sign-in in that browser. Every sign-in starts on this service's page, so it can finish only in the browser that started it.")
            .WithMetadata(RateLimited.PerPartner) // a stored OAuth state, a code exchange to follow
            .WithResponses(static () =>
            [
                Redirect("To a new connect link's page.", "https://connect.example.com/api/connect/(a new link's token)"),
                WorkspaceRoutes.InvalidId,
                Invalid(ConnectEndpoints.InvalidReturnUrl(), "`returnUrl` is not on one of the caller's allowed return origins."),
                WorkspaceRoutes.NotFound,
                ClientCredentialsRefusal,
            ]);
        workspace.MapPost("connect-links", Create)
            .WithName("CreateConnectLink")
            .WithSummary("A link to send the person who signs in")
            .WithDescription("For an authorization-code workspace: a URL of this service that works in a plain browser without credentials, "
                + "shown once (only its hash is kept). It works until `expiresAt` and until a sign-in through it connects the workspace. "
                + "The body and each field are optional.")
            .WithMetadata(RateLimited.PerPartner) // a stored link, each a way into a sign-in
            .WithRequestBody(static () => RequestDoc.Json(Examples.ConnectLinkRequest) with { Optional = true })
            .WithResponses(static () =>
            [
                Ok(StatusCodes.Status201Created, "The link and when it stops working.", Examples.ConnectLink),
                WorkspaceRoutes.InvalidId,
                Invalid(Problems.Field("lifetimeSeconds", $"Must be a whole number of seconds from 1 to {MaxLifetimeSeconds} (7 days); the default is {DefaultLifetimeSeconds}."),
                    "`returnUrl` is not on an allowed origin, or `lifetimeSeconds` is out of range."),
                WorkspaceRoutes.NotFound,
                ClientCredentialsRefusal,
            ]);

        // A person's browser: a link pasted with a mail tool's tracking parameters still opens.
        var link = api.MapGroup("connect").WithMetadata(SecretInPath.Instance).WithTags(ApiTags.Connecting).AcceptsAnyQuery();
        link.MapGet("{token}", Show)
            .WithName("ShowConnectLink")
            .WithSummary("The connect link's page (for a person's browser)")
            .WithDescription("Anonymous; the token in the path is the credential. Opening it changes nothing: it shows the workspace, the company "
                + "and a Connect button (a form posting to the same URL).")
            .WithResponses(static () =>
            [
                Html(StatusCodes.Status200OK, "Open (or a sign-in in progress, or already connected): the page."),
                Html(StatusCodes.Status404NotFound, "No such link, or its workspace is gone."),
                Html(StatusCodes.Status410Gone, "The link was used or expired."),
            ]);
        link.MapPost("{token}", Start)
            .WithName("StartConnectLink")
            .WithSummary("The page's Connect button")
            .WithDescription("Anonymous: claims the link for a new sign-in (replacing an unfinished one), sets the sign-in's cookie (HttpOnly, "
                + "SameSite=Lax; `__Host-` and Secure when the service's URL is https) and sends the browser to Procore with a PKCE challenge. "
                + "A link that is used, expired, gone or whose workspace is connected answers its page and nothing is written.")
            .WithMetadata(RateLimited.PerLink("token")) // anonymous: a stored OAuth state, a code exchange to follow
            .WithResponses(static () =>
            [
                Redirect("To Procore's sign-in.", "https://login.procore.com/oauth/authorize?response_type=code&client_id=…&state=…", StatusCodes.Status303SeeOther),
                Html(StatusCodes.Status200OK, "The workspace is already connected: the page says so."),
                Html(StatusCodes.Status403Forbidden, "The browser says another site posted the form (`Sec-Fetch-Site`, else `Origin`): nothing is done."),
                Html(StatusCodes.Status404NotFound, "No such link, or its workspace is gone."),
                Html(StatusCodes.Status410Gone, "The link was used or expired."),
            ]);
        return api;
    }

    /// <summary><c>POST /api/workspaces/{id}/connect-links</c>: a new link for a code-flow workspace.</summary>
    public static async Task<Results<Created<ConnectLinkResponse>, ValidationProblem, ProblemHttpResult>> Create(
        WorkspaceRoute route,
        HttpRequest request,
        ClaimsPrincipal user,
        ConnectFlow flow,
        ConnectLinkService service,
        CancellationToken cancellationToken)
    {
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
        var (allowed, returnTo) = await flow.ReturnUrlAsync(route.Ref.PartnerId, body.ReturnUrl, cancellationToken);
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

        var target = await flow.FindAsync(route.Ref, key: null, cancellationToken);
        if (!target.CanConnect)
        {
            return ConnectEndpoints.Refused(route.Id, target);
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
        WorkspaceRoute route, string? returnUrl, ClaimsPrincipal user, ConnectFlow flow, ConnectLinkService service, CancellationToken cancellationToken)
    {
        var (allowed, returnTo) = await flow.ReturnUrlAsync(route.Ref.PartnerId, returnUrl, cancellationToken);
        if (!allowed)
        {
            return ConnectEndpoints.InvalidReturnUrl();
        }

        var target = await flow.FindAsync(route.Ref, key: null, cancellationToken);
        if (!target.CanConnect)
        {
            return ConnectEndpoints.Refused(route.Id, target);
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

    private static ResponseDoc ClientCredentialsRefusal => Problem(
        Problems.Conflict("This workspace uses client_credentials: it connects without a browser (call /token or /validate)."),
        "The workspace's client uses client credentials, or no longer exists.");

    private static class Examples
    {
        public static readonly ConnectLinkRequest ConnectLinkRequest = new()
        {
            ReturnUrl = "https://partner.example.com/done",
            LifetimeSeconds = 86400,
        };

        public static readonly ConnectLinkResponse ConnectLink = new()
        {
            Url = new Uri("https://procore-connect.example.com/api/connect/0sT3kQ9vR2m8pW4xY7zA1bC5dE6fG8hJ0kL2nM4pQ6r"),
            ExpiresAt = ApiExamples.Later.AddDays(1),
        };
    }
}
