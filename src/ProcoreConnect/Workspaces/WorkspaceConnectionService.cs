using Azure;
using ProcoreConnect.Secrets;
using ProcoreConnect.Storage;
using ProcoreConnect.Tokens;

namespace ProcoreConnect.Workspaces;

/// <summary>
/// Creates, changes and deletes workspace connections, keeping the table row and the secret store
/// consistent: a secret is written before the row that references it, a row write that fails
/// discards the secret it wrote, and a delete is marked on the row before anything is removed.
/// </summary>
public sealed class WorkspaceConnectionService(
    WorkspaceRepository workspaces,
    ISecretStore secrets,
    TokenCache tokens,
    TimeProvider time,
    ILogger<WorkspaceConnectionService> logger)
{
    /// <summary>Creates the workspace or applies new settings to it.</summary>
    public async Task<WriteOutcome> UpsertAsync(string id, string partnerId, ConnectionSettings settings, ETag? ifMatch, CancellationToken cancellationToken)
    {
        var existing = await workspaces.FindAsync(id, cancellationToken);
        if (existing is not null && !string.Equals(existing.OwnerPartnerId, partnerId, StringComparison.Ordinal))
        {
            // Another partner's id: indistinguishable from a missing workspace, and not creatable.
            return new WriteOutcome(WriteStatus.NotFound);
        }

        if (existing?.Status == WorkspaceStatus.Deleting)
        {
            return new WriteOutcome(WriteStatus.Conflict, Detail: $"Workspace '{id}' is being deleted.");
        }

        if (!Matches(ifMatch, existing))
        {
            return new WriteOutcome(WriteStatus.PreconditionFailed, Detail: "If-Match does not match the workspace's current ETag.");
        }

        return existing is null
            ? await CreateAsync(id, partnerId, settings, cancellationToken)
            : await UpdateAsync(existing, settings, cancellationToken);
    }

    /// <summary>Deletes the workspace and every secret it owns.</summary>
    public async Task<WriteOutcome> DeleteAsync(string id, string partnerId, ETag? ifMatch, CancellationToken cancellationToken)
    {
        var existing = await workspaces.FindAsync(id, cancellationToken);
        if (existing is null || !string.Equals(existing.OwnerPartnerId, partnerId, StringComparison.Ordinal))
        {
            return new WriteOutcome(WriteStatus.NotFound);
        }

        if (!Matches(ifMatch, existing))
        {
            return new WriteOutcome(WriteStatus.PreconditionFailed, Detail: "If-Match does not match the workspace's current ETag.");
        }

        if (existing.Status != WorkspaceStatus.Deleting)
        {
            try
            {
                // The mark makes the workspace invisible at once and lets the purge timer finish a cut-short delete.
                existing = await workspaces.UpdateAsync(
                    existing with { Status = WorkspaceStatus.Deleting, UpdatedAt = time.GetUtcNow() }, cancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
                return new WriteOutcome(WriteStatus.Conflict, Detail: $"Workspace '{id}' changed while it was being deleted; retry.");
            }
        }

        await PurgeAsync(existing, cancellationToken);
        return new WriteOutcome(WriteStatus.Deleted);
    }

    /// <summary>Removes a workspace already marked <c>deleting</c>: its secrets first, then its row.</summary>
    public async Task PurgeAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        foreach (var name in SecretNames.All(workspace.SecretPrefix))
        {
            await secrets.DeleteAsync(name, cancellationToken);
        }

        await workspaces.DeleteAsync(workspace, cancellationToken);
        tokens.Remove(workspace.Id);
        logger.LogInformation("Workspace {WorkspaceId} deleted with its secrets", workspace.Id);
    }

    private async Task<WriteOutcome> CreateAsync(string id, string partnerId, ConnectionSettings settings, CancellationToken cancellationToken)
    {
        if (settings.ClientSecret is null)
        {
            return new WriteOutcome(WriteStatus.Invalid, Detail: "Required when the workspace is created.", Field: "clientSecret");
        }

        var prefix = SecretNames.NewPrefix(id);
        var secret = await secrets.SetAsync(SecretNames.ClientSecret(prefix), settings.ClientSecret, cancellationToken);
        var now = time.GetUtcNow();
        var workspace = new Workspace
        {
            Id = id,
            OwnerPartnerId = partnerId,
            CompanyId = settings.CompanyId,
            Environment = settings.Environment,
            AuthFlow = settings.AuthFlow,
            ClientId = settings.ClientId,
            RedirectUri = settings.RedirectUri,
            SecretPrefix = prefix,
            ClientSecret = secret,
            ClientSecretUpdatedAt = now,
            ClientSecretExpiresAt = settings.ClientSecretExpiresAt,
            Status = WorkspaceStatus.Pending,
            CreatedAt = now,
            UpdatedAt = now,
        };

        try
        {
            var created = await workspaces.AddAsync(workspace, cancellationToken);
            logger.LogInformation("Workspace {WorkspaceId} created ({Environment}, {AuthFlow})", id, settings.Environment, settings.AuthFlow);
            return new WriteOutcome(WriteStatus.Created, created);
        }
        catch (ConcurrencyConflictException)
        {
            await secrets.DeleteAsync(secret.Name, CancellationToken.None);
            return new WriteOutcome(WriteStatus.Conflict, Detail: $"Workspace '{id}' was created by a concurrent request; read it and retry.");
        }
        catch
        {
            await secrets.DeleteAsync(secret.Name, CancellationToken.None);
            throw;
        }
    }

    private async Task<WriteOutcome> UpdateAsync(Workspace existing, ConnectionSettings settings, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var newSecret = settings.ClientSecret is null
            ? null
            : await secrets.SetAsync(SecretNames.ClientSecret(existing.SecretPrefix), settings.ClientSecret, cancellationToken);

        // Tokens belong to one app in one environment: a change of either makes them useless.
        var resetTokens = existing.Environment != settings.Environment
            || existing.AuthFlow != settings.AuthFlow
            || !string.Equals(existing.ClientId, settings.ClientId, StringComparison.Ordinal);

        var changed = existing with
        {
            CompanyId = settings.CompanyId,
            Environment = settings.Environment,
            AuthFlow = settings.AuthFlow,
            ClientId = settings.ClientId,
            RedirectUri = settings.RedirectUri,
            ClientSecret = newSecret ?? existing.ClientSecret,
            ClientSecretUpdatedAt = newSecret is null ? existing.ClientSecretUpdatedAt : now,
            ClientSecretExpiresAt = settings.ClientSecretExpiresAt ?? (newSecret is null ? existing.ClientSecretExpiresAt : null),
            ClientSecretExpiringSoon = newSecret is null && existing.ClientSecretExpiringSoon,
            Status = resetTokens ? WorkspaceStatus.Pending : existing.Status,
            Tokens = resetTokens ? null : existing.Tokens,
            AccessTokenExpiresAt = resetTokens ? null : existing.AccessTokenExpiresAt,
            RefreshDueAt = resetTokens ? null : existing.RefreshDueAt,
            LastError = resetTokens ? null : existing.LastError,
            UpdatedAt = now,
        };

        Workspace updated;
        try
        {
            updated = await workspaces.UpdateAsync(changed, cancellationToken);
        }
        catch (Exception ex)
        {
            if (newSecret is not null)
            {
                await secrets.DisableAsync(newSecret, CancellationToken.None);
            }

            if (ex is ConcurrencyConflictException)
            {
                return new WriteOutcome(WriteStatus.Conflict, Detail: $"Workspace '{existing.Id}' was changed by a concurrent request; read it and retry.");
            }

            throw;
        }

        tokens.Remove(existing.Id);
        logger.LogInformation("Workspace {WorkspaceId} updated", existing.Id);
        await RetireAsync(newSecret is null ? null : existing.ClientSecret, existing.Id);
        if (resetTokens)
        {
            await RetireAsync(existing.Tokens, existing.Id);
        }

        return new WriteOutcome(WriteStatus.Updated, updated);
    }

    // No If-Match: last writer wins only through the row's own ETag. "*": the workspace must exist.
    private static bool Matches(ETag? ifMatch, Workspace? existing) => ifMatch switch
    {
        null => true,
        { } all when all == ETag.All => existing is not null,
        { } expected => existing?.ETag == expected,
    };

    // Old versions are disabled only after the row stops pointing at them; a failure here leaves
    // an unreferenced version behind, never a workspace without a usable secret.
    private async Task RetireAsync(SecretReference? reference, string workspaceId)
    {
        if (reference is null)
        {
            return;
        }

        try
        {
            await secrets.DisableAsync(reference, CancellationToken.None);
        }
#pragma warning disable CA1031 // Best effort by design, see above.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogWarning(ex, "Could not disable an old secret version of workspace {WorkspaceId}", workspaceId);
        }
    }
}
