using ProcoreConnect.Clients;
using ProcoreConnect.Common;
using ProcoreConnect.Storage;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.WorkspaceConnections;

/// <summary>
/// Writes a workspace's connection settings to its row, conditional on the row's ETag: creates it,
/// or applies the settings over the row read (a change of client or environment, or of a code-flow
/// workspace's company, drops the tokens, which belong to the old app or sign-in). Once the partner's refresh token was spent, a write lost to a
/// concurrent one is retried over the row standing then.
/// </summary>
public sealed class SettingsWriter(
    WorkspaceRepository workspaces, WorkspaceTagWrites tagWrites, TokenCache tokens, TimeProvider time, ILogger<SettingsWriter> logger)
{
    // Writes of settings retried after an imported token was spent (each loses only to a concurrent write).
    private const int SpentTokenWriteAttempts = 3;

    /// <summary>
    /// Writes the settings over <see cref="ConnectionWrite.Base"/>, retrying a spent token's write
    /// (not when the caller asked for one version only with If-Match, nor on a workspace deleted
    /// meanwhile). Answers the outcome, the row it was written over, and the tags it carries.
    /// </summary>
    public async Task<(WriteOutcome<Workspace> Outcome, Workspace? Over, TagWrite Tags)> WriteAsync(
        ConnectionWrite write, TagWrite tags, CancellationToken cancellationToken)
    {
        var over = write.Base;
        var outcome = await WriteOverAsync(write, over, tags.Tags, cancellationToken);
        for (var attempt = 1; write.Spent && write.IfMatch is null && outcome.Status == WriteStatus.Conflict && attempt <= SpentTokenWriteAttempts; attempt++)
        {
            over = await workspaces.FindAsync(write.Workspace, CancellationToken.None);
            if (over is null ? write.Original is not null : over.Status == WorkspaceStatus.Deleting)
            {
                break;
            }

            tags = await tagWrites.AgainAsync(write.Workspace, tags, over, write.Settings.Tags);
            outcome = await WriteOverAsync(write, over, tags.Tags, cancellationToken);
        }

        return (outcome, over, tags);
    }

    /// <summary>Puts the row back as it was (or removes the one just created), then the tag entries the write added; answers <paramref name="answer"/>.</summary>
    public async Task<WriteOutcome<Workspace>> UndoAsync(Workspace? before, Workspace written, TagWrite tags, WriteOutcome<Workspace> answer)
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
        await tagWrites.ForgetAsync(written.Ref, tags.Added);
        return answer;
    }

    private Task<WriteOutcome<Workspace>> WriteOverAsync(ConnectionWrite write, Workspace? existing, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) =>
        existing is null
            ? CreateAsync(write.Workspace, write.Settings, write.Client, tags, cancellationToken)
            : UpdateAsync(existing, write, tags, cancellationToken);

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
        Workspace existing, ConnectionWrite write, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        var (settings, client) = (write.Settings, write.Client);
        var resetTokens = write.ChangesGrantScope(existing);
        var resetCheck = write.OutdatesCheck(existing);
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
            // A check of the old settings would read as a check of the new ones.
            LastCheckedAt = resetCheck ? null : existing.LastCheckedAt,
            LastCheckOk = resetCheck ? null : existing.LastCheckOk,
            LastCheckReasons = resetCheck ? [] : existing.LastCheckReasons,
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
}
