using ProcoreConnect.Clients;
using ProcoreConnect.Common;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.WorkspaceConnections;

/// <summary>
/// The OAuth client a connection write names, resolved for the partner (its own, then a public
/// one), with the company access the settings need on it.
/// </summary>
public sealed class ConnectionClients(OAuthClientRepository clients, CompanyAccess access)
{
    /// <summary>The client the settings name, or why the write is refused (nothing was changed).</summary>
    public async Task<(OAuthClient? Client, WriteOutcome<Workspace>? Refused)> ResolveAsync(
        WorkspaceRef workspace, ConnectionSettings settings, CancellationToken cancellationToken)
    {
        var client = await clients.FindUsableAsync(workspace.PartnerId, settings.OAuthClient, cancellationToken);
        if (client is null)
        {
            return (null, NoSuchClient(settings.OAuthClient));
        }

        if (!(await access.ScopeAsync(client.Ref, client.AuthFlow, workspace.PartnerId, cancellationToken)).Allows(settings.CompanyId, settings.Environment))
        {
            return (null, new(WriteStatus.Forbidden, Field: "companyId", Detail:
                $"OAuth client '{client.Ref.Name}' is a public client, and the operator has not granted you company {settings.CompanyId} in {WireName.Of(settings.Environment)} on it: "
                + $"ask the operator for a grant (PUT /api/oauth-clients/{client.Ref.Name}/grants/{workspace.PartnerId}), or use an OAuth client of your own."));
        }

        if (settings.RefreshToken is not null && client.AuthFlow != AuthFlow.AuthorizationCode)
        {
            return (null, new(WriteStatus.Invalid, Detail: $"OAuth client '{client.Ref.Name}' uses client credentials: its workspaces share the client's token and hold no refresh token.", Field: "refreshToken"));
        }

        return (client, null);
    }

    /// <summary>
    /// Whether the client of a row just written still exists. A client delete marks the client first
    /// and then counts its workspaces; a workspace write reads the client after writing. Whichever
    /// comes second sees the other, so no workspace is left pointing at a deleted client.
    /// </summary>
    public async Task<bool> StillActiveAsync(Workspace written, CancellationToken cancellationToken) =>
        await clients.FindAsync(written.Client, cancellationToken) is { Status: OAuthClientStatus.Active };

    /// <summary>The refusal of a write that names no client the partner may use.</summary>
    public static WriteOutcome<Workspace> NoSuchClient(string name) =>
        new(WriteStatus.Invalid, Detail: $"There is no OAuth client named '{name}' (yours or a public one): create it with PUT /api/oauth-clients/{name}.", Field: "oauthClient");
}
