using ProcoreConnect.Clients;

namespace ProcoreConnect.Workspaces;

/// <summary>
/// Which Procore companies a partner may use an OAuth client for. Its own clients: any (its
/// credentials, its customers). A public client-credentials client: only those the operator
/// granted it, since the app's token reaches every company that installed the app and a partner's
/// word about a company id proves nothing. A public code-flow client: any, since the person's
/// sign-in proves the company (<see cref="OAuth.SignInCompanyCheck"/>), unless the operator granted
/// the partner a list, which then holds.
/// </summary>
public sealed class CompanyAccess(ClientGrantStore grants)
{
    /// <summary>The companies <paramref name="partnerId"/> may use <paramref name="client"/> for.</summary>
    public async Task<CompanyScope> ScopeAsync(OAuthClientRef client, AuthFlow authFlow, string partnerId, CancellationToken cancellationToken)
    {
        if (!client.IsPublic)
        {
            return CompanyScope.All;
        }

        var grant = await grants.FindAsync(client.Name, partnerId, cancellationToken);
        return grant is not null ? new CompanyScope(grant.CompanyIds, grant.Environments)
            : authFlow == AuthFlow.AuthorizationCode ? CompanyScope.All
            : CompanyScope.None;
    }

    /// <summary>True when the workspace's partner may use its client for its company, in its environment.</summary>
    public async Task<bool> AllowsAsync(Workspace workspace, CancellationToken cancellationToken) =>
        !workspace.Client.IsPublic
        || (await ScopeAsync(workspace.Client, workspace.AuthFlow, workspace.PartnerId, cancellationToken)).Allows(workspace.CompanyId, workspace.Environment);

    /// <summary>
    /// True when the token of public client-credentials client <paramref name="client"/> would reach
    /// the customers of more than one partner (two or more hold a grant): then no partner is handed it.
    /// </summary>
    public async Task<bool> TokenReachesOthersAsync(OAuthClientRef client, CancellationToken cancellationToken) =>
        client.IsPublic && (await grants.GranteesAsync(client.Name, cancellationToken)).Count > 1;
}
