using Azure;
using ProcoreConnect.Clients;
using ProcoreConnect.Common;
using ProcoreConnect.Http;
using ProcoreConnect.Secrets;
using ProcoreConnect.Storage;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.ClientManagement;

/// <summary>
/// Creates, changes and deletes OAuth clients, keeping the rows and the secret store consistent: a
/// secret is written before the row that references it, and a client with workspaces is never
/// deleted. Rotating a secret, proven first, is <see cref="ClientSecretRotation"/>'s.
/// </summary>
public sealed class OAuthClientService(
    OAuthClientRepository clients,
    WorkspaceRepository workspaces,
    ISecretStore secrets,
    ClientTokenService clientTokens,
    ClientGrantStore grants,
    ClientHealthRecorder health,
    TimeProvider time,
    ILogger<OAuthClientService> logger)
{
    /// <summary>Creates the client or applies new settings to it.</summary>
    public async Task<WriteOutcome<OAuthClient>> UpsertAsync(OAuthClientRef client, OAuthClientSettings settings, ETag? ifMatch, CancellationToken cancellationToken)
    {
        var existing = await clients.FindAsync(client, cancellationToken);
        if (existing?.Status == OAuthClientStatus.Deleting)
        {
            return new(WriteStatus.Conflict, Detail: $"OAuth client '{client.Name}' is being deleted.");
        }

        if (!Preconditions.Matches(ifMatch, existing?.ETag))
        {
            return new(WriteStatus.PreconditionFailed, Detail: "If-Match does not match the client's current ETag.");
        }

        if (existing is null && await NameTakenAsync(client, cancellationToken) is { } taken)
        {
            return new(WriteStatus.Conflict, Detail: taken);
        }

        return existing is null
            ? await CreateAsync(client, settings, cancellationToken)
            : await UpdateAsync(existing, settings, cancellationToken);
    }

    /// <summary>Deletes a client no workspace uses, with its secrets and shared tokens.</summary>
    public async Task<WriteOutcome<OAuthClient>> DeleteAsync(OAuthClientRef client, ETag? ifMatch, CancellationToken cancellationToken)
    {
        var existing = await clients.FindAsync(client, cancellationToken);
        if (existing is null)
        {
            return new(WriteStatus.NotFound);
        }

        if (!Preconditions.Matches(ifMatch, existing.ETag))
        {
            return new(WriteStatus.PreconditionFailed, Detail: "If-Match does not match the client's current ETag.");
        }

        // A client in use is refused as it is, untouched.
        if (await CountUsersAsync(client, cancellationToken) is > 0 and var inUse)
        {
            return InUse(client, inUse);
        }

        // Marked first, counted again second: a workspace written meanwhile sees the mark and
        // undoes itself, or is counted here (see WorkspaceConnectionService).
        OAuthClient marked;
        try
        {
            marked = existing.Status == OAuthClientStatus.Deleting
                ? existing
                : await clients.UpdateAsync(existing with { Status = OAuthClientStatus.Deleting, UpdatedAt = time.GetUtcNow() }, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            return new(WriteStatus.Conflict, Detail: $"OAuth client '{client.Name}' changed while it was being deleted; retry.");
        }

        var users = await CountUsersAsync(client, cancellationToken);
        if (users > 0)
        {
            await clients.ChangeAsync(
                client, c => c.Status == OAuthClientStatus.Deleting ? c with { Status = OAuthClientStatus.Active, UpdatedAt = existing.UpdatedAt } : null, CancellationToken.None);
            return InUse(client, users);
        }

        foreach (var name in SecretNames.AllOfClient(marked.SecretPrefix))
        {
            await secrets.DeleteAsync(name, cancellationToken);
        }

        await clientTokens.ForgetAsync(client, cancellationToken);
        if (client.IsPublic)
        {
            // A client created later under this name starts with no grant.
            await grants.DeleteAllAsync(client.Name, cancellationToken);
        }

        await clients.DeleteAsync(marked, cancellationToken);
        logger.LogInformation("OAuth client {Client} deleted with its secrets", client);
        return new(WriteStatus.Deleted, marked);
    }

    private static WriteOutcome<OAuthClient> InUse(OAuthClientRef client, int users) =>
        new(WriteStatus.Conflict, Detail: $"OAuth client '{client.Name}' is used by {users} workspace{(users == 1 ? "" : "s")}: "
            + "delete them or move them to another client first.");

    /// <summary>
    /// How many workspaces use the client: of every partner, for a public client, unless
    /// <paramref name="partnerId"/> names one, whose partition alone is then read.
    /// </summary>
    public async Task<int> CountUsersAsync(OAuthClientRef client, CancellationToken cancellationToken, string? partnerId = null)
    {
        var count = 0;
        await foreach (var _ in workspaces.ListUsingAsync(client, cancellationToken, partnerId: partnerId))
        {
            count++;
        }

        return count;
    }

    // One name, one client, as each partner sees them: its own and the public ones never overlap.
    private async Task<string?> NameTakenAsync(OAuthClientRef client, CancellationToken cancellationToken)
    {
        if (!client.IsPublic)
        {
            return await clients.FindAsync(new OAuthClientRef(OAuthClientRef.PublicOwner, client.Name), cancellationToken) is not null
                ? $"'{client.Name}' is the name of a public OAuth client; use it as it is, or choose another name."
                : null;
        }

        return await clients.AnyPartnerUsesNameAsync(client.Name, cancellationToken)
            ? $"A partner already has an OAuth client named '{client.Name}'; a public client of that name would be ambiguous for it."
            : null;
    }

    private async Task<WriteOutcome<OAuthClient>> CreateAsync(OAuthClientRef client, OAuthClientSettings settings, CancellationToken cancellationToken)
    {
        if (settings.ClientSecret is null)
        {
            return new(WriteStatus.Invalid, Detail: "Required when the client is created.", Field: "clientSecret");
        }

        var prefix = SecretNames.NewClientPrefix(client.Name);
        var secret = await secrets.SetAsync(SecretNames.ClientSecret(prefix), settings.ClientSecret, cancellationToken);
        var now = time.GetUtcNow();
        var created = new OAuthClient
        {
            Ref = client,
            DisplayName = settings.DisplayName,
            AuthFlow = settings.AuthFlow,
            ClientId = settings.ClientId,
            RedirectUri = settings.RedirectUri,
            SecretPrefix = prefix,
            ClientSecret = secret,
            ClientSecretUpdatedAt = now,
            ClientSecretExpiresAt = settings.ClientSecretExpiresAt,
            Status = OAuthClientStatus.Active,
            CreatedAt = now,
            UpdatedAt = now,
        };

        try
        {
            created = await clients.AddAsync(created, cancellationToken);
            logger.LogInformation("OAuth client {Client} created ({AuthFlow})", client, settings.AuthFlow);
            return new(WriteStatus.Created, created);
        }
        catch (ConcurrencyConflictException)
        {
            await secrets.DeleteAsync(secret.Name, CancellationToken.None);
            return new(WriteStatus.Conflict, Detail: $"OAuth client '{client.Name}' was created by a concurrent request; read it and retry.");
        }
        catch
        {
            await secrets.DeleteAsync(secret.Name, CancellationToken.None);
            throw;
        }
    }

    private async Task<WriteOutcome<OAuthClient>> UpdateAsync(OAuthClient existing, OAuthClientSettings settings, CancellationToken cancellationToken)
    {
        if (settings.AuthFlow != existing.AuthFlow)
        {
            return new(WriteStatus.Invalid, Detail: "A client's auth flow cannot change: create another client for the other flow.", Field: "authFlow");
        }

        var clientIdChanged = !string.Equals(settings.ClientId, existing.ClientId, StringComparison.Ordinal);
        if (clientIdChanged && await CountUsersAsync(existing.Ref, cancellationToken) is > 0 and var users)
        {
            // Every token of every workspace on the client belongs to the old app.
            return new(WriteStatus.Conflict, Detail: $"The client id cannot change while {users} workspace{(users == 1 ? " uses" : "s use")} the client: "
                + "create another client and move the workspaces to it.");
        }

        var newSecret = settings.ClientSecret is null
            ? null
            : await secrets.SetAsync(SecretNames.ClientSecret(existing.SecretPrefix), settings.ClientSecret, cancellationToken);
        var now = time.GetUtcNow();
        var changed = (newSecret is null ? existing : existing.ForgettingRefusals()) with
        {
            DisplayName = settings.DisplayName,
            ClientId = settings.ClientId,
            RedirectUri = settings.RedirectUri,
            ClientSecret = newSecret ?? existing.ClientSecret,
            ClientSecretUpdatedAt = newSecret is null ? existing.ClientSecretUpdatedAt : now,
            ClientSecretExpiresAt = settings.ClientSecretExpiresAt ?? (newSecret is null ? existing.ClientSecretExpiresAt : null),
            ClientSecretExpiringSoon = newSecret is null && existing.ClientSecretExpiringSoon,
            UpdatedAt = now,
        };

        OAuthClient updated;
        try
        {
            updated = await clients.UpdateAsync(changed, cancellationToken);
        }
        catch (Exception ex)
        {
            if (newSecret is not null)
            {
                await secrets.DisableAsync(newSecret, CancellationToken.None);
            }

            if (ex is ConcurrencyConflictException)
            {
                return new(WriteStatus.Conflict, Detail: $"OAuth client '{existing.Ref.Name}' was changed by a concurrent request; read it and retry.");
            }

            throw;
        }

        if (clientIdChanged)
        {
            await clientTokens.ForgetAsync(existing.Ref, CancellationToken.None);
        }

        if (newSecret is not null)
        {
            await secrets.RetireAsync(existing.ClientSecret, logger, $"OAuth client {existing.Ref}");
            await health.AnnounceAsync(existing, updated);
        }

        logger.LogInformation("OAuth client {Client} updated", existing.Ref);
        return new(WriteStatus.Updated, updated);
    }
}
