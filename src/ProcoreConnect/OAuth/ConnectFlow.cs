using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using ProcoreConnect.Clients;
using ProcoreConnect.Hosting;
using ProcoreConnect.Procore;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.OAuth;

/// <summary>
/// The start of the authorization code flow, shared by every way a person gets there (a connect
/// link's button, which the partner's <c>/connect</c> redirect leads to as well): which workspaces
/// may connect, the state and its browser binding, and Procore's authorize URL.
/// </summary>
public sealed class ConnectFlow(
    WorkspaceRepository workspaces,
    OAuthClientRepository clients,
    OAuthStateStore states,
    Partners.PartnerSettingsStore partners,
    ProcoreOAuthClient oauth,
    IOptions<OAuthOptions> options,
    PublicUrls urls,
    TimeProvider time)
{
    /// <summary>
    /// The workspace and its client when it can connect through a browser. With
    /// <paramref name="key"/>, only that creation of the workspace counts (a state or link
    /// issued for an earlier workspace with the same id finds nothing).
    /// </summary>
    public async Task<ConnectTarget> FindAsync(WorkspaceRef workspace, string? key, CancellationToken cancellationToken)
    {
        var found = await workspaces.FindVisibleAsync(workspace, cancellationToken);
        if (found is null || (key is not null && found.Key != key))
        {
            return new ConnectTarget { Refusal = ConnectRefusal.WorkspaceNotFound };
        }

        if (found.AuthFlow != AuthFlow.AuthorizationCode)
        {
            return new ConnectTarget { Workspace = found, Refusal = ConnectRefusal.ClientCredentials };
        }

        var client = await clients.FindAsync(found.Client, cancellationToken);
        return client is { Status: OAuthClientStatus.Active }
            ? new ConnectTarget { Workspace = found, Client = client }
            : new ConnectTarget { Workspace = found, Refusal = ConnectRefusal.ClientGone };
    }

    /// <summary>
    /// Whether <paramref name="text"/> is absent or a URL on one of <paramref name="partnerId"/>'s
    /// allowed return origins (then the URL).
    /// </summary>
    public async Task<(bool Allowed, Uri? ReturnTo)> ReturnUrlAsync(string partnerId, string? text, CancellationToken cancellationToken)
    {
        if (text is null)
        {
            return (true, null);
        }

        var settings = await partners.FindAsync(partnerId, cancellationToken);
        return ReturnUrls.TryAllow(text, settings.AllowedReturnOrigins, out var returnTo) ? (true, returnTo) : (false, null);
    }

    /// <summary>How the pages a person opens for <paramref name="partnerId"/>'s workspaces show the partner.</summary>
    public async Task<Http.PageBranding> BrandingAsync(string partnerId, CancellationToken cancellationToken) =>
        (await partners.FindAsync(partnerId, cancellationToken)).BrandingFor(partnerId);

    /// <summary>How long a sign-in may take, from pressing Connect to Procore's redirect back (minutes; a link lasts hours or days).</summary>
    public TimeSpan SignInLifetime => options.Value.StateLifetime;

    /// <summary>True when the browser cookie of a sign-in is sent Secure (and <c>__Host-</c>), i.e. the public URL is https.</summary>
    public bool SecureCookies => urls.Callback.Scheme == Uri.UriSchemeHttps;

    /// <summary>
    /// A new sign-in for a connectable workspace from connect link <paramref name="link"/> (which
    /// lasts until <paramref name="linkExpiresAt"/>), not yet
    /// saved: the link claims itself with it before <see cref="BeginAsync"/> saves it, so a press
    /// of Connect that loses the claim writes nothing. Its cookie goes to the browser that pressed.
    /// </summary>
    public NewSignIn NewState(ConnectTarget target, Uri? returnTo, string link, DateTimeOffset linkExpiresAt)
    {
        if (!target.CanConnect)
        {
            throw new ArgumentException("The workspace cannot connect: " + target.Refusal, nameof(target));
        }

        var (cookie, binding) = SignInCookie.New();
        var state = new OAuthState
        {
            Value = Pkce.RandomValue(),
            Workspace = target.Workspace.Ref,
            WorkspaceKey = target.Workspace.Key,
            RedirectUri = target.Client.RedirectUri ?? urls.Callback,
            CodeVerifier = options.Value.UsesPkce(target.Workspace.Environment) ? Pkce.RandomValue() : null,
            ReturnUrl = returnTo,
            Link = link,
            BrowserBinding = binding,
            // A sign-in from a link ends when the link does, whatever is left of its own lifetime.
            ExpiresAt = Min(time.GetUtcNow() + options.Value.StateLifetime, linkExpiresAt),
        };
        return new NewSignIn(state, cookie, SignInCookie.NameFor(state.Value, SecureCookies), SignInCookie.Options(SecureCookies, options.Value.StateLifetime));
    }

    /// <summary>Saves the state and answers Procore's authorize URL to send the browser to.</summary>
    public async Task<Uri> BeginAsync(ConnectTarget target, OAuthState state, CancellationToken cancellationToken)
    {
        if (!target.CanConnect)
        {
            throw new ArgumentException("The workspace cannot connect: " + target.Refusal, nameof(target));
        }

        await states.SaveAsync(state, cancellationToken);
        var query = new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = target.Client.ClientId,
            ["redirect_uri"] = state.RedirectUri.ToString(),
            ["state"] = state.Value,
        };
        if (state.CodeVerifier is not null)
        {
            query["code_challenge"] = Pkce.Challenge(state.CodeVerifier);
            query["code_challenge_method"] = "S256";
        }

        return new Uri(QueryHelpers.AddQueryString(AuthorizeEndpoint(target.Workspace).ToString(), query));
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>Procore's sign-in page for the workspace's environment (a page that posts there must allow its origin).</summary>
    public Uri AuthorizeEndpoint(Workspace workspace) => oauth.AuthorizeEndpoint(workspace.Environment);
}

/// <summary>A sign-in about to start: its state, and the cookie (name, value, options) that binds it to the browser.</summary>
public sealed record NewSignIn(OAuthState State, string CookieValue, string CookieName, CookieOptions CookieOptions)
{
    /// <summary>Never the state or the cookie's value.</summary>
    public override string ToString() => $"{nameof(NewSignIn)} {{ {State} }}";
}
