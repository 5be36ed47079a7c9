namespace ProcoreConnect.OAuth;

/// <summary>
/// A pending connect: the unguessable state, the workspace it is bound to (owner, id and which
/// creation of the id, so a state never survives a delete and re-create), and what the callback needs.
/// </summary>
public sealed record OAuthState
{
    /// <summary>The random state value sent to Procore.</summary>
    public required string Value { get; init; }

    /// <summary>The workspace being connected.</summary>
    public required Workspaces.WorkspaceRef Workspace { get; init; }

    /// <summary>The workspace's key when the connect began.</summary>
    public required string WorkspaceKey { get; init; }

    /// <summary>The redirect URI the authorize request used; the code exchange must repeat it.</summary>
    public required Uri RedirectUri { get; init; }

    /// <summary>The PKCE verifier, when PKCE is on: one-time, useless without the code and the client secret.</summary>
    public string? CodeVerifier { get; init; }

    /// <summary>Where to send the browser afterwards (already checked against the allow-list).</summary>
    public Uri? ReturnUrl { get; init; }

    /// <summary>The id of the connect link the sign-in was started from, if any: the callback settles it.</summary>
    public string? Link { get; init; }

    /// <summary>
    /// The hash of the browser's sign-in cookie (<see cref="SignInCookie"/>): the callback exchanges
    /// a code only in the browser that pressed Connect.
    /// </summary>
    public string? BrowserBinding { get; init; }

    /// <summary>When the state stops being accepted.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Never the state or the verifier: whoever holds the state can finish the connect.</summary>
    public override string ToString() =>
        $"{nameof(OAuthState)} {{ Workspace = {Workspace}, WorkspaceKey = {WorkspaceKey}, RedirectUri = {RedirectUri}, Pkce = {CodeVerifier is not null}, ReturnUrl = {ReturnUrl}, ExpiresAt = {ExpiresAt:u} }}";
}
