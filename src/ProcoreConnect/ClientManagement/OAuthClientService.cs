using Azure;
using ProcoreConnect.Clients;
using ProcoreConnect.Common;
using ProcoreConnect.Procore;
using ProcoreConnect.Secrets;
using ProcoreConnect.Storage;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.ClientManagement;

/// <summary>
/// Creates, changes, rotates and deletes OAuth clients, keeping the rows and the secret store
/// consistent: a secret is written before the row that references it, a new secret passes through
/// rotation only once Procore accepted it, and a client with workspaces is never deleted.
/// </summary>
public sealed class OAuthClientService(
    OAuthClientRepository clients,
    WorkspaceRepository workspaces,
    ISecretStore secrets,
    ClientTokenService clientTokens,
    ProcoreOAuthClient oauth,
    RefreshProtocol tokens,
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

        if (!Matches(ifMatch, existing?.ETag))
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

        if (!Matches(ifMatch, existing.ETag))
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

    /// <summary>
    /// Replaces the secret with no downtime for every workspace of the client: the new secret is
    /// stored as a new version, proven against Procore (a client-credentials token request, or a
    /// refresh of one connected workspace), and only then made current; the old version is
    /// disabled afterwards. A secret Procore refuses changes nothing.
    /// </summary>
    public async Task<(WriteOutcome<OAuthClient> Outcome, TokenStatus? Proof)> RotateSecretAsync(
        OAuthClientRef client, string clientSecret, DateTimeOffset? expiresAt, ProcoreEnvironment? environment, CancellationToken cancellationToken)
    {
        var existing = await clients.FindAsync(client, cancellationToken);
        if (existing is not { Status: OAuthClientStatus.Active })
        {
            return (new(WriteStatus.NotFound), null);
        }

        var candidate = await secrets.SetAsync(SecretNames.ClientSecret(existing.SecretPrefix), clientSecret, cancellationToken);
        var (proof, detail, field) = await ProveAsync(existing, clientSecret, environment, cancellationToken);
        if (proof != TokenStatus.Ok)
        {
            await secrets.DisableAsync(candidate, CancellationToken.None);
            logger.LogWarning("Secret rotation of OAuth client {Client} refused: {Status}", client, proof);
            return (new(WriteStatus.Invalid, Detail: detail, Field: field), proof);
        }

        var previous = existing.ClientSecret;
        var before = existing;
        var updated = await clients.ChangeAsync(client, current =>
        {
            (previous, before) = (current.ClientSecret, current);
            return current.Status != OAuthClientStatus.Active ? null : current.ForgettingRefusals() with
            {
                ClientSecret = candidate,
                ClientSecretUpdatedAt = time.GetUtcNow(),
                ClientSecretExpiresAt = expiresAt,
                ClientSecretExpiringSoon = false,
                UpdatedAt = time.GetUtcNow(),
            };
        }, CancellationToken.None);
        if (updated is null)
        {
            await secrets.DisableAsync(candidate, CancellationToken.None);
            return (new(WriteStatus.Conflict, Detail: $"OAuth client '{client.Name}' changed or disappeared during the rotation; retry."), proof);
        }

        // Only now is nothing left that reads the old version.
        await RetireAsync(previous, client);
        await health.AnnounceAsync(before, updated);
        logger.LogInformation("Client secret of OAuth client {Client} rotated", client);
        return (new(WriteStatus.Updated, updated), proof);
    }

    private async Task<(TokenStatus Status, string? Detail, string? Field)> ProveAsync(
        OAuthClient client, string candidate, ProcoreEnvironment? environment, CancellationToken cancellationToken)
    {
        if (client.AuthFlow == AuthFlow.ClientCredentials)
        {
            var proveIn = environment ?? await FirstEnvironmentAsync(client.Ref, cancellationToken);
            if (proveIn is not { } env)
            {
                return (TokenStatus.NotConnected, "No workspace uses this client yet: name the environment to prove the secret in.", "environment");
            }

            var result = await oauth.ClientCredentialsAsync(env, client.ClientId, candidate, cancellationToken);
            return result.Succeeded ? (TokenStatus.Ok, null, null)
                : result.IsInvalidClient || result.IsInvalidGrant ? (TokenStatus.InvalidClient, "Refused by Procore.", "clientSecret")
                : (TokenStatus.ProcoreUnavailable, $"Procore could not prove the new secret ({result.Error}); the current one stays in use. Retry later.", null);
        }

        // A connected workspace whose last refresh went well: its refresh token is the likeliest to be alive.
        Workspace? connected = null;
        await foreach (var workspace in workspaces.ListUsingAsync(client.Ref, cancellationToken))
        {
            if (workspace.Status == WorkspaceStatus.Connected && (connected is null || (connected.LastError is not null && workspace.LastError is null)))
            {
                connected = workspace;
            }
        }

        if (connected is null)
        {
            return (TokenStatus.NotConnected,
                "A code-flow secret is proven by refreshing a connected workspace, and none uses this client: connect one first, or set the secret with PUT /api/oauth-clients/{name}.", null);
        }

        var outcome = await tokens.ProveSecretAsync(connected.Ref, client, candidate, cancellationToken);
        return outcome.Status switch
        {
            // Procore authenticates the client before it looks at the grant (RFC 6749 §5.2): a refused
            // refresh token means the secret was accepted. That workspace needs a person either way.
            TokenStatus.Ok or TokenStatus.NeedsReauthorization => (TokenStatus.Ok, null, null),
            TokenStatus.InvalidClient => (TokenStatus.InvalidClient, "Refused by Procore.", "clientSecret"),
            var other => (other, outcome.Detail ?? "Procore could not prove the new secret; the current one stays in use. Retry later.", null),
        };
    }

    private async Task<ProcoreEnvironment?> FirstEnvironmentAsync(OAuthClientRef client, CancellationToken cancellationToken)
    {
        await foreach (var workspace in workspaces.ListUsingAsync(client, cancellationToken))
        {
            return workspace.Environment;
        }

        return null;
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
            await RetireAsync(existing.ClientSecret, existing.Ref);
            await health.AnnounceAsync(existing, updated);
        }

        logger.LogInformation("OAuth client {Client} updated", existing.Ref);
        return new(WriteStatus.Updated, updated);
    }

    // No If-Match: last writer wins only through the row's own ETag. "*": the client must exist.
    private static bool Matches(ETag? ifMatch, ETag? current) => ifMatch switch
    {
        null => true,
        { } all when all == ETag.All => current is not null,
        { } expected => current == expected,
    };

    // Old versions are disabled only after the row stops pointing at them; a failure here leaves
    // an unreferenced version behind, never a client without a usable secret.
    private async Task RetireAsync(SecretReference reference, OAuthClientRef client)
    {
        try
        {
            await secrets.DisableAsync(reference, CancellationToken.None);
        }
#pragma warning disable CA1031 // Best effort by design, see above.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogWarning(ex, "Could not disable an old secret version of OAuth client {Client}", client);
        }
    }
}
