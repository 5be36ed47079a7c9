using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using ProcoreConnect.Clients;
using ProcoreConnect.Hosting;
using ProcoreConnect.Procore;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.OAuth;

/// <summary>
/// The start of the authorization code flow, shared by every way a person gets there (the
/// partner's <c>/connect</c> redirect and a connect link's button): which workspaces may
/// connect, the state, and Procore's authorize URL.
/// </summary>
public sealed class ConnectFlow(
    WorkspaceRepository workspaces,
    OAuthClientRepository clients,
    OAuthStateStore states,
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

    /// <summary>True when <paramref name="text"/> is absent or an allowed return URL (then in <paramref name="returnTo"/>).</summary>
    public bool TryReturnUrl(string? text, out Uri? returnTo)
    {
        returnTo = null;
        return text is null || ReturnUrls.TryAllow(text, options.Value.AllowedReturnOrigins, out returnTo);
    }

    /// <summary>
    /// A new state for a connectable workspace, not yet saved: a connect link (<paramref name="link"/>)
    /// claims itself with it before <see cref="BeginAsync"/> saves it, so a press of Connect that
    /// loses the claim writes nothing.
    /// </summary>
    public OAuthState NewState(ConnectTarget target, Uri? returnTo, string? link = null)
    {
        if (!target.CanConnect)
        {
            throw new ArgumentException("The workspace cannot connect: " + target.Refusal, nameof(target));
        }

        return new OAuthState
        {
            Value = Pkce.RandomValue(),
            Workspace = target.Workspace.Ref,
            WorkspaceKey = target.Workspace.Key,
            RedirectUri = target.Client.RedirectUri ?? urls.Callback,
            CodeVerifier = options.Value.UsePkce ? Pkce.RandomValue() : null,
            ReturnUrl = returnTo,
            Link = link,
            ExpiresAt = time.GetUtcNow() + options.Value.StateLifetime,
        };
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

    /// <summary>Procore's sign-in page for the workspace's environment (a page that posts there must allow its origin).</summary>
    public Uri AuthorizeEndpoint(Workspace workspace) => oauth.AuthorizeEndpoint(workspace.Environment);
}
