using ProcoreConnect.Http;
using ProcoreConnect.OAuth;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.ConnectLinks;

/// <summary>
/// What a person's browser does with a connect link: opening it shows a page and changes nothing;
/// pressing its Connect button claims the link for one sign-in and starts the code flow
/// (<see cref="ConnectFlow"/>); the callback of the sign-in holding the link uses it up or frees it.
/// </summary>
public sealed class ConnectLinkService(
    ConnectLinkStore links, ConnectFlow flow, Audit.AuditLog audit, Hosting.PublicUrls urls, TimeProvider time, ILogger<ConnectLinkService> logger)
{
    // Concurrent presses of one link (a double click) each re-read it after losing a claim.
    private const int ClaimAttempts = 3;

    /// <summary>The link's page for <c>GET /api/connect/{token}</c>.</summary>
    public async Task<HtmlPage> ShowAsync(string token, CancellationToken cancellationToken)
    {
        var visit = await VisitAsync(token, cancellationToken);
        logger.LogInformation("Connect link for workspace {WorkspaceId} opened: {View}", visit.Link?.Workspace.Id ?? "(none)", visit.View);
        return await PageAsync(visit, cancellationToken);
    }

    /// <summary>
    /// <c>POST /api/connect/{token}</c>, the Connect (or Start over) button: claims the link for a
    /// new sign-in, replacing an unfinished one (which then can no longer finish), and answers a
    /// 303 to Procore's sign-in. A link that is used, expired, gone or whose workspace is connected
    /// answers its page, and nothing is written.
    /// </summary>
    public async Task<HtmlPage> StartAsync(string token, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= ClaimAttempts; attempt++)
        {
            var visit = await VisitAsync(token, cancellationToken);
            if (visit.View is not (ConnectLinkView.Open or ConnectLinkView.InProgress))
            {
                logger.LogWarning("Connect link for workspace {WorkspaceId} refused a start: {View}", visit.Link?.Workspace.Id ?? "(none)", visit.View);
                return await PageAsync(visit, cancellationToken);
            }

            var link = visit.Link!;
            var signIn = flow.NewState(visit.Target, link.ReturnUrl, link.Id, link.ExpiresAt);
            if (await links.ClaimAsync(link, signIn.State, cancellationToken))
            {
                var authorize = await flow.BeginAsync(visit.Target, signIn.State, cancellationToken);
                logger.LogInformation("Connect link for workspace {WorkspaceId} started a sign-in", link.Workspace.Id);
                // Only this browser can finish the sign-in: the callback checks the cookie before any exchange.
                return HtmlPage.SeeOther(authorize).WithCookie(signIn.CookieName, signIn.CookieValue, signIn.CookieOptions);
            }
        }

        // Pressed again and again at once (a double click lands here at most once): the page says where it stands.
        return await PageAsync(await VisitAsync(token, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// A new link for a connectable workspace, lasting <paramref name="lifetime"/>, recorded in the
    /// workspace's audit log as <paramref name="actor"/>'s. Answers the link's URL (its token is
    /// in it, shown only to the caller) and when it expires.
    /// </summary>
    public async Task<ConnectLinkResponse> CreateAsync(
        ConnectTarget target, Uri? returnTo, TimeSpan lifetime, string actor, CancellationToken cancellationToken, bool reconnect = false)
    {
        if (!target.CanConnect)
        {
            throw new ArgumentException("The workspace cannot connect: " + target.Refusal, nameof(target));
        }

        var token = ConnectLinkStore.NewToken();
        var now = time.GetUtcNow();
        var link = new ConnectLink
        {
            Id = ConnectLinkStore.IdOf(token)!,
            Workspace = target.Workspace.Ref,
            WorkspaceKey = target.Workspace.Key,
            ReturnUrl = returnTo,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
            Reconnect = reconnect,
        };
        await links.AddAsync(link, cancellationToken);
        await audit.RecordAsync(
            target.Workspace.Key,
            actor,
            "connect_link.created",
            "expires " + link.ExpiresAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture) + (returnTo is null ? "" : ", returnUrl"),
            cancellationToken);
        return new ConnectLinkResponse { Url = urls.ConnectLink(token), ExpiresAt = link.ExpiresAt };
    }

    /// <summary>Finds the link and its workspace, and which page they call for. Reads only.</summary>
    public async Task<ConnectLinkVisit> VisitAsync(string token, CancellationToken cancellationToken)
    {
        var id = ConnectLinkStore.IdOf(token);
        var link = id is null ? null : await links.FindAsync(id, cancellationToken);
        if (link is null)
        {
            return new ConnectLinkVisit { Target = new ConnectTarget { Refusal = ConnectRefusal.WorkspaceNotFound }, View = ConnectLinkView.NotFound };
        }

        var target = await flow.FindAsync(link.Workspace, link.WorkspaceKey, cancellationToken);
        var view = !target.CanConnect ? ConnectLinkView.NotFound : link.StatusAt(time.GetUtcNow()) switch
        {
            ConnectLinkStatus.Used => ConnectLinkView.Used,
            ConnectLinkStatus.Expired => ConnectLinkView.Expired,
            _ when target.Workspace.Status == WorkspaceStatus.Connected && !link.Reconnect => ConnectLinkView.AlreadyConnected,
            ConnectLinkStatus.InProgress => ConnectLinkView.InProgress,
            _ => ConnectLinkView.Open,
        };
        return new ConnectLinkVisit { Link = link, Target = target, View = view };
    }

    // Branded only when shown: a press that starts a sign-in answers a redirect, and reads no settings.
    private async Task<HtmlPage> PageAsync(ConnectLinkVisit visit, CancellationToken cancellationToken)
    {
        var branded = visit.Link is { } link ? visit with { Branding = await flow.BrandingAsync(link.Workspace.PartnerId, cancellationToken) } : visit;
        return ConnectLinkPage.Render(branded, visit.Target.Workspace is { } workspace ? flow.AuthorizeEndpoint(workspace) : null, flow.SignInLifetime);
    }
}
