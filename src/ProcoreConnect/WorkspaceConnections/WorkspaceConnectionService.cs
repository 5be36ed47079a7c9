using Azure;
using ProcoreConnect.Clients;
using ProcoreConnect.Common;
using ProcoreConnect.Procore;
using ProcoreConnect.Secrets;
using ProcoreConnect.Storage;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.WorkspaceConnections;

/// <summary>
/// Creates, changes and deletes workspace connections, keeping the table rows and the secret store
/// consistent: a workspace only ever references an OAuth client that exists, a delete is marked on
/// the row before anything is removed, and a code-flow grant is revoked at Procore before its
/// tokens are purged. A refresh token brought by the partner is redeemed before the write is
/// answered, and a refused one leaves everything as it was. Tags reach the tag index before the
/// row, and leave it after.
/// </summary>
public sealed class WorkspaceConnectionService(
    WorkspaceRepository workspaces,
    OAuthClientRepository clients,
    ISecretStore secrets,
    GrantRevoker revoker,
    Webhooks.InboundWebhookStore hooks,
    TokenCache tokens,
    RefreshTokenImport tokenService,
    WorkspaceTagIndex tagIndex,
    CompanyAccess access,
    TimeProvider time,
    ILogger<WorkspaceConnectionService> logger)
{
    // Writes of settings retried after an imported token was spent (each loses only to a concurrent write).
    private const int SpentTokenWriteAttempts = 3;

    /// <summary>Creates the workspace or applies new settings to it (with <paramref name="createOnly"/>, an existing id is a conflict on <c>id</c>).</summary>
    public async Task<WriteOutcome<Workspace>> UpsertAsync(
        WorkspaceRef workspace, ConnectionSettings settings, ETag? ifMatch, CancellationToken cancellationToken, bool createOnly = false)
    {
        var existing = await workspaces.FindAsync(workspace, cancellationToken);
        if (createOnly && existing is not null)
        {
            return new(WriteStatus.Conflict, Detail: $"Workspace '{workspace.Id}' already exists.", Field: "id");
        }

        if (existing?.Status == WorkspaceStatus.Deleting)
        {
            return new(WriteStatus.Conflict, Detail: $"Workspace '{workspace.Id}' is being deleted.");
        }

        if (!Matches(ifMatch, existing))
        {
            return new(WriteStatus.PreconditionFailed, Detail: "If-Match does not match the workspace's current ETag.");
        }

        var client = await clients.FindUsableAsync(workspace.PartnerId, settings.OAuthClient, cancellationToken);
        if (client is null)
        {
            return NoSuchClient(settings.OAuthClient);
        }

        if (!(await access.ScopeAsync(client.Ref, client.AuthFlow, workspace.PartnerId, cancellationToken)).Allows(settings.CompanyId, settings.Environment))
        {
            return new(WriteStatus.Forbidden, Field: "companyId", Detail:
                $"OAuth client '{client.Ref.Name}' is a public client, and the operator has not granted you company {settings.CompanyId} in {Common.WireName.Of(settings.Environment)} on it: "
                + $"ask the operator for a grant (PUT /api/oauth-clients/{client.Ref.Name}/grants/{workspace.PartnerId}), or use an OAuth client of your own.");
        }

        if (settings.RefreshToken is not null && client.AuthFlow != AuthFlow.AuthorizationCode)
        {
            return new(WriteStatus.Invalid, Detail: $"OAuth client '{client.Ref.Name}' uses client credentials: its workspaces share the client's token and hold no refresh token.", Field: "refreshToken");
        }

        var tags = settings.Tags ?? existing?.Tags ?? WorkspaceTags.None;
        var addedTags = tags.Where(t => existing?.Tags.GetValueOrDefault(t.Key) != t.Value).ToList();
        await tagIndex.AddAsync(workspace, addedTags, cancellationToken);

        var original = existing;
        // The access token of the grant this write replaces, to revoke once the write stands. Never
        // guessed afterwards: an import writes a newer version of the same secret, and "the latest"
        // would then be the grant just imported.
        string? replacedGrant = null;

        // A workspace that keeps its client and environment redeems the token before anything is
        // written, so a refused one leaves the row exactly as it was, ETag included.
        var importFirst = settings.RefreshToken is not null && existing is not null && !GrantScopeChanges(existing, settings, client);
        if (importFirst)
        {
            var imported = await tokenService.ImportAsync(existing!, settings.RefreshToken!, CancellationToken.None);
            if (imported.Status != TokenStatus.Ok)
            {
                await ForgetTagsAsync(workspace, addedTags);
                return ImportFailed(imported, client);
            }

            replacedGrant = imported.ReplacedAccessToken;
            existing = await workspaces.FindAsync(workspace, CancellationToken.None) ?? existing;
        }

        // A new workspace, or one moving to another client or environment: the token is redeemed
        // with the new client and environment before anything is written, as for importFirst.
        ProcoreTokenResponse? redeemed = null;
        if (settings.RefreshToken is { } elsewhere && !importFirst)
        {
            var (refused, fresh) = await tokenService.RedeemAsync(settings.Environment, client, elsewhere, CancellationToken.None);
            if (fresh is null)
            {
                await ForgetTagsAsync(workspace, addedTags);
                return ImportFailed(refused, client);
            }

            redeemed = fresh;
        }

        // Once Procore took the token, the partner's copy is dead: a concurrent write or a caller
        // going away must not cost the grant, so the settings are written on top of what stands now.
        var spent = importFirst || redeemed is not null;
        var writeToken = spent ? CancellationToken.None : cancellationToken;
        Workspace? written = null;
        WriteOutcome<Workspace>? final = null;
        // A move to another client or environment takes the grant away: it runs under the
        // workspace's refresh lease, so a refresh in flight lands first and none starts meanwhile.
        var takesGrantAway = original?.Tokens is not null && GrantScopeChanges(original, settings, client);

        // The write, and for a move the read of the grant it replaces and the new grant's storing.
        // Null when the answer is final (nothing more to do).
        async Task<WriteOutcome<Workspace>?> WriteAsync()
        {
            var outcome = await WriteSettingsAsync(workspace, existing, settings, client, tags, writeToken);
            // Not when the caller asked for one version only (If-Match), nor on a workspace deleted meanwhile.
            for (var attempt = 1; spent && ifMatch is null && outcome.Status == WriteStatus.Conflict && attempt <= SpentTokenWriteAttempts; attempt++)
            {
                existing = await workspaces.FindAsync(workspace, CancellationToken.None);
                if (existing is null ? original is not null : existing.Status == WorkspaceStatus.Deleting)
                {
                    break;
                }

                // Tags left out keep what the concurrent writer wrote.
                tags = settings.Tags ?? existing?.Tags ?? WorkspaceTags.None;
                var moreTags = tags.Where(t => existing?.Tags.GetValueOrDefault(t.Key) != t.Value && !addedTags.Contains(t)).ToList();
                await tagIndex.AddAsync(workspace, moreTags, CancellationToken.None);
                addedTags.AddRange(moreTags);
                outcome = await WriteSettingsAsync(workspace, existing, settings, client, tags, writeToken);
            }

            if (outcome.Value is null)
            {
                await ForgetTagsAsync(workspace, addedTags);
                final = await SpentButNotWrittenAsync(workspace, original, outcome, importFirst ? replacedGrant : null, redeemed, settings, client);
                return null;
            }

            written = outcome.Value;
            if (!await ClientStillActiveAsync(written, cancellationToken))
            {
                final = await UndoAsync(existing, written, addedTags, NoSuchClient(settings.OAuthClient));
                return null;
            }

            if (takesGrantAway)
            {
                // Read under the refresh lease, once the row no longer holds the grant, and before an
                // imported grant is stored as a newer version: no refresh of the old grant can land after.
                replacedGrant = await tokenService.ReplacedGrantAsync(original!, CancellationToken.None);
            }

            if (redeemed is not null)
            {
                written = await tokenService.StoreRedeemedAsync(written, redeemed, CancellationToken.None);
                outcome = outcome with { Value = written };
            }

            return outcome;
        }

        (bool Held, WriteOutcome<Workspace>? Result) done = takesGrantAway
            ? await tokenService.MoveAsync(original!, WriteAsync, CancellationToken.None)
            : (true, await WriteAsync());
        if (!done.Held)
        {
            await ForgetTagsAsync(workspace, addedTags);
            if (redeemed is not null)
            {
                await revoker.RevokeAsync(workspace.Id, client.Ref, settings.Environment, redeemed.AccessToken, CancellationToken.None);
            }

            return new(WriteStatus.Conflict, Detail: $"Workspace '{workspace.Id}' is being refreshed; retry shortly. Nothing was changed"
                + (redeemed is null ? "." : "; the refresh token was spent at Procore and its grant revoked."));
        }

        if (done.Result is not { } outcome)
        {
            return final!;
        }

        written = outcome.Value!;

        if (original is not null)
        {
            await ForgetTagsAsync(workspace, original.Tags.Where(t => tags.GetValueOrDefault(t.Key) != t.Value));
        }

        if (original?.Tokens is { } old && written.Tokens != old)
        {
            // The old grant is of no use to anyone now: revoke it at Procore, then retire its version.
            if (replacedGrant is null)
            {
                logger.LogWarning("Workspace {WorkspaceId}: the replaced grant's access token could not be read, so that grant is not revoked at Procore", original.Id);
            }
            else
            {
                await RevokeQuietlyAsync(original, replacedGrant, CancellationToken.None);
            }

            await RetireAsync(old, original.Id);
        }

        return outcome;
    }

    /// <summary>Deletes the workspace, revoking its grant at Procore, and every secret it owns.</summary>
    public async Task<WriteOutcome<Workspace>> DeleteAsync(WorkspaceRef workspace, ETag? ifMatch, CancellationToken cancellationToken)
    {
        var existing = await workspaces.FindAsync(workspace, cancellationToken);
        if (existing is null)
        {
            return new(WriteStatus.NotFound);
        }

        if (!Matches(ifMatch, existing))
        {
            return new(WriteStatus.PreconditionFailed, Detail: "If-Match does not match the workspace's current ETag.");
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
                return new(WriteStatus.Conflict, Detail: $"Workspace '{workspace.Id}' changed while it was being deleted; retry.");
            }
        }

        await PurgeAsync(existing, cancellationToken);
        return new(WriteStatus.Deleted, existing);
    }

    /// <summary>
    /// Removes a workspace already marked <c>deleting</c>: revokes its grant at Procore (a failure is
    /// logged and does not stop the delete), then its secrets, its Procore hook, deliveries and known
    /// projects, then its row. Its audit history stays, under its key.
    /// </summary>
    public async Task PurgeAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        await RevokeQuietlyAsync(workspace, null, cancellationToken);
        await secrets.DeleteAsync(SecretNames.Tokens(workspace.SecretPrefix), cancellationToken);
        await hooks.PurgeAsync(workspace.Key, cancellationToken);
        await tagIndex.RemoveAsync(workspace.Ref, workspace.Tags, cancellationToken);
        await workspaces.DeleteAsync(workspace, cancellationToken);
        tokens.Remove(workspace.Ref);
        logger.LogInformation("Workspace {WorkspaceId} deleted with its secrets", workspace.Id);
    }

    private static WriteOutcome<Workspace> NoSuchClient(string name) =>
        new(WriteStatus.Invalid, Detail: $"There is no OAuth client named '{name}' (yours or a public one): create it with PUT /api/oauth-clients/{name}.", Field: "oauthClient");

    // Tokens belong to one app in one environment: a change of either makes them useless.
    private static bool GrantScopeChanges(Workspace existing, ConnectionSettings settings, OAuthClient client) =>
        existing.Environment != settings.Environment || existing.Client != client.Ref;

    private static WriteOutcome<Workspace> ImportFailed(TokenOutcome redeemed, OAuthClient client) => redeemed.Status switch
    {
        TokenStatus.NeedsReauthorization => new(WriteStatus.Refused, Detail: redeemed.Detail + " Nothing was changed.", Field: "refreshToken"),
        TokenStatus.InvalidClient => new(WriteStatus.Refused, Detail: redeemed.Detail + $" Check OAuth client '{client.Ref.Name}'; nothing was changed.", Field: "oauthClient"),
        TokenStatus.Busy => new(WriteStatus.Conflict, Detail: (redeemed.Detail ?? "The workspace's token is being refreshed; retry shortly.") + " Nothing was changed."),
        _ => new(WriteStatus.UpstreamFailed, Detail: redeemed.Detail + " Nothing was changed; retry (a spent token is then refused)."),
    };

    // Index entries this write added (or the row dropped) that the row standing now does not carry.
    // Read now, not taken from what this write saw: a concurrent writer that won may carry the same
    // tags, and its entries must stay. Best effort: a stale entry is checked against the row on use.
    private async Task ForgetTagsAsync(WorkspaceRef workspace, IEnumerable<KeyValuePair<string, string>> tags)
    {
        try
        {
            var current = await workspaces.FindAsync(workspace, CancellationToken.None);
            await tagIndex.RemoveAsync(workspace, tags.Where(t => current?.Tags.GetValueOrDefault(t.Key) != t.Value).ToList(), CancellationToken.None);
        }
#pragma warning disable CA1031 // A stale entry costs a point read when someone filters by it; never worth failing a write.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogWarning(ex, "Could not remove tag index entries of workspace {WorkspaceId}", workspace.Id);
        }
    }

    // The settings could not be written though the partner's token was spent: say what happened,
    // and leave no live grant nobody holds. An import into the row already stored its grant (the
    // replaced one is revoked as on success); a redeemed grant the row never received is revoked.
    private async Task<WriteOutcome<Workspace>> SpentButNotWrittenAsync(
        WorkspaceRef workspace, Workspace? original, WriteOutcome<Workspace> outcome, string? replacedGrant, ProcoreTokenResponse? redeemed,
        ConnectionSettings settings, OAuthClient client)
    {
        if (redeemed is not null)
        {
            logger.LogWarning("Workspace {WorkspaceId}: an imported grant was redeemed but the workspace could not be written ({Status}); revoking it", workspace.Id, outcome.Status);
            await revoker.RevokeAsync(workspace.Id, client.Ref, settings.Environment, redeemed.AccessToken, CancellationToken.None);
            return outcome with
            {
                Detail = outcome.Detail + " The refresh token was spent at Procore and its grant revoked: import a new one, or have a person connect.",
            };
        }

        if (original?.Tokens is { } old && replacedGrant is not null)
        {
            await RevokeQuietlyAsync(original, replacedGrant, CancellationToken.None);
            await RetireAsync(old, original.Id);
        }

        return outcome.Status == WriteStatus.Conflict
            ? outcome with
            {
                Detail = $"The refresh token was imported: workspace '{workspace.Id}' holds its grant. The other settings were not applied, "
                    + "as the workspace changed meanwhile: read it and retry without refreshToken.",
            }
            : outcome;
    }

    private Task<WriteOutcome<Workspace>> WriteSettingsAsync(
        WorkspaceRef workspace, Workspace? existing, ConnectionSettings settings, OAuthClient client, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) =>
        existing is null
            ? CreateAsync(workspace, settings, client, tags, cancellationToken)
            : UpdateAsync(existing, settings, client, tags, cancellationToken);

    private async Task<WriteOutcome<Workspace>> CreateAsync(
        WorkspaceRef workspace, ConnectionSettings settings, OAuthClient client, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var created = new Workspace
        {
            Id = workspace.Id,
            PartnerId = workspace.PartnerId,
            Key = Workspace.NewKey(workspace.Id),
            CompanyId = settings.CompanyId,
            Environment = settings.Environment,
            Client = client.Ref,
            AuthFlow = client.AuthFlow,
            Status = WorkspaceStatus.Pending,
            Tags = tags,
            CreatedAt = now,
            UpdatedAt = now,
        };

        try
        {
            created = await workspaces.AddAsync(created, cancellationToken);
            logger.LogInformation("Workspace {WorkspaceId} created ({Environment}, client {Client})", workspace.Id, settings.Environment, client.Ref);
            return new(WriteStatus.Created, created);
        }
        catch (ConcurrencyConflictException)
        {
            return new(WriteStatus.Conflict, Detail: $"Workspace '{workspace.Id}' was created by a concurrent request; read it and retry.");
        }
    }

    private async Task<WriteOutcome<Workspace>> UpdateAsync(
        Workspace existing, ConnectionSettings settings, OAuthClient client, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        var resetTokens = GrantScopeChanges(existing, settings, client);
        var changed = existing with
        {
            CompanyId = settings.CompanyId,
            Environment = settings.Environment,
            Client = client.Ref,
            AuthFlow = client.AuthFlow,
            Status = resetTokens ? WorkspaceStatus.Pending : existing.Status,
            Tokens = resetTokens ? null : existing.Tokens,
            AccessTokenIssuedAt = resetTokens ? null : existing.AccessTokenIssuedAt,
            AccessTokenExpiresAt = resetTokens ? null : existing.AccessTokenExpiresAt,
            RefreshDueAt = resetTokens ? null : existing.RefreshDueAt,
            LastError = resetTokens ? null : existing.LastError,
            // A broken connection stays broken until a person connects it again (then recovered is sent).
            Health = resetTokens ? ConnectionHealth.Ok with { BrokenSince = existing.Health.BrokenSince, BrokenReason = existing.Health.BrokenReason } : existing.Health,
            Tags = tags,
            UpdatedAt = time.GetUtcNow(),
        };

        Workspace updated;
        try
        {
            updated = await workspaces.UpdateAsync(changed, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            return new(WriteStatus.Conflict, Detail: $"Workspace '{existing.Id}' was changed by a concurrent request; read it and retry.");
        }

        tokens.Remove(existing.Ref);
        logger.LogInformation("Workspace {WorkspaceId} updated", existing.Id);
        return new(WriteStatus.Updated, updated);
    }

    // A client delete marks the client first and then counts its workspaces; a workspace write
    // reads the client after writing. Whichever comes second sees the other, so no workspace is
    // left pointing at a deleted client.
    private async Task<bool> ClientStillActiveAsync(Workspace written, CancellationToken cancellationToken) =>
        await clients.FindAsync(written.Client, cancellationToken) is { Status: OAuthClientStatus.Active };

    // Puts the row back as it was (or removes the one just created), then the tag entries this write added.
    private async Task<WriteOutcome<Workspace>> UndoAsync(Workspace? before, Workspace written, IReadOnlyList<KeyValuePair<string, string>> addedTags, WriteOutcome<Workspace> answer)
    {
        try
        {
            if (before is null)
            {
                await workspaces.DeleteAsync(written, CancellationToken.None);
            }
            else
            {
                await workspaces.UpdateAsync(before with { ETag = written.ETag, UpdatedAt = time.GetUtcNow() }, CancellationToken.None);
            }
        }
        catch (ConcurrencyConflictException)
        {
            // Someone wrote after us; their write re-checks the client itself.
        }

        tokens.Remove(written.Ref);
        await ForgetTagsAsync(written.Ref, addedTags);
        return answer;
    }

    private async Task RevokeQuietlyAsync(Workspace workspace, string? accessToken, CancellationToken cancellationToken)
    {
        if (workspace.AuthFlow != AuthFlow.AuthorizationCode || workspace.Tokens is null)
        {
            return;
        }

        accessToken ??= await tokenService.ReplacedGrantAsync(workspace, CancellationToken.None);
        await revoker.RevokeAsync(workspace.Id, workspace.Client, workspace.Environment, accessToken, cancellationToken);
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
    private async Task RetireAsync(SecretReference reference, string workspaceId)
    {
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
