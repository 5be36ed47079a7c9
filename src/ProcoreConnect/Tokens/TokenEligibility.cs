using ProcoreConnect.Clients;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tokens;

/// <summary>
/// Whether a workspace may have a token at all, before any is read or refreshed: it exists, its
/// partner may use its company on its client (<see cref="CompanyAccess"/>), and it is connected. A
/// refused workspace's token is dropped from memory.
/// </summary>
public sealed class TokenEligibility(WorkspaceRepository workspaces, CompanyAccess access, TokenCache cache)
{
    /// <summary>
    /// The workspace, or why it gets no token. With <paramref name="importing"/>, a pending or
    /// broken workspace passes: an imported refresh token is what connects or mends it.
    /// </summary>
    public async Task<(Workspace? Workspace, TokenOutcome? Refused)> CheckAsync(WorkspaceRef workspaceRef, bool importing, CancellationToken cancellationToken)
    {
        var workspace = await workspaces.FindVisibleAsync(workspaceRef, cancellationToken);
        var refused = workspace is null ? new TokenOutcome(TokenStatus.NotFound)
            // A public client serves a partner's company only while the operator grants it.
            : !await access.AllowsAsync(workspace, cancellationToken) ? new TokenOutcome(TokenStatus.GrantRevoked, Detail: GrantRevokedDetail(workspace))
            : importing ? null
            : Refusal(workspace);
        if (refused is not null)
        {
            cache.Remove(workspaceRef);
            return (null, refused);
        }

        return (workspace, null);
    }

    /// <summary>Why a workspace on a public client gets no token for its company.</summary>
    public static string GrantRevokedDetail(Workspace workspace) =>
        $"The operator does not grant you company {workspace.CompanyId} on public OAuth client '{workspace.Client.Name}' (any more), "
        + "so this workspace gets no token: ask the operator for a grant, or move the workspace to a client of your own.";

    /// <summary>Why a workspace nobody has signed in to gets no token, and the call that starts the sign-in.</summary>
    public static string NotConnectedDetail(string id) =>
        $"Workspace '{id}' is not connected yet: a person must sign in to Procore for it. Create a connect link with "
        + $"POST /api/workspaces/{id}/connect-links and send its url to that person, or send their browser to GET /api/workspaces/{id}/connect.";

    private static TokenOutcome? Refusal(Workspace workspace) => workspace.Status switch
    {
        WorkspaceStatus.Disabled => new TokenOutcome(TokenStatus.NotConnected, Detail: "The workspace is disabled."),
        WorkspaceStatus.NeedsReauthorization => new TokenOutcome(
            TokenStatus.NeedsReauthorization, Detail: workspace.LastError ?? "Procore refused the refresh token; connect the workspace again."),
        WorkspaceStatus.Pending when workspace.AuthFlow == AuthFlow.AuthorizationCode => new TokenOutcome(
            TokenStatus.NotConnected, Detail: NotConnectedDetail(workspace.Id)),
        _ => null,
    };
}
