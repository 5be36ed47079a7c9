using Azure;
using ProcoreConnect.Clients;
using ProcoreConnect.Common;
using ProcoreConnect.Http;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.WorkspaceConnections;

/// <summary>
/// Creates a workspace's connection or applies new settings to it, keeping the row, the tag index
/// and the secret store consistent: a workspace only ever references an OAuth client that exists, a
/// refresh token brought by the partner is redeemed before the write is answered (a refused one
/// leaves everything as it was), and the grant a write replaces is revoked at Procore once the
/// write stands.
/// </summary>
public sealed class WorkspaceConnectionService(
    WorkspaceRepository workspaces,
    ConnectionClients clients,
    WorkspaceTagWrites tagWrites,
    RefreshTokenImport imports,
    SettingsWriter writer,
    GrantCleanup grants,
    Events.EventPublisher events,
    ILogger<WorkspaceConnectionService> logger)
{
    /// <summary>Creates the workspace or applies new settings to it (with <paramref name="createOnly"/>, an existing id is a conflict on <c>id</c>).</summary>
    public async Task<WriteOutcome<Workspace>> UpsertAsync(
        WorkspaceRef workspace, ConnectionSettings settings, ETag? ifMatch, CancellationToken cancellationToken, bool createOnly = false)
    {
        var existing = await workspaces.FindAsync(workspace, cancellationToken);
        if (Refusal(workspace, existing, ifMatch, createOnly) is { } refused)
        {
            return refused;
        }

        var (client, noClient) = await clients.ResolveAsync(workspace, settings, cancellationToken);
        if (client is null)
        {
            return noClient!;
        }

        var tags = await tagWrites.AddAsync(workspace, existing, settings.Tags, cancellationToken);
        var asked = new ConnectionWrite { Workspace = workspace, Settings = settings, Client = client, Original = existing, Base = existing, IfMatch = ifMatch };
        var (write, notRedeemed) = await BringTokenAsync(asked);
        if (write is null)
        {
            await tagWrites.ForgetAsync(workspace, tags.Added);
            return notRedeemed!;
        }

        // Once Procore took the token, the partner's copy is dead: a concurrent write or a caller
        // going away must not cost the grant, so the settings are written on top of what stands now.
        var writeToken = write.Spent ? CancellationToken.None : cancellationToken;
        var (held, written) = write.TakesGrantAway
            ? await imports.MoveAsync(existing!, () => WriteAsync(write, tags, writeToken, cancellationToken), CancellationToken.None)
            : (true, await WriteAsync(write, tags, writeToken, cancellationToken));
        if (!held)
        {
            return await NotMovedAsync(write, tags);
        }

        return written.Final ?? await SettleAsync(write, written);
    }

    // Refused before anything is read of the client or written.
    private static WriteOutcome<Workspace>? Refusal(WorkspaceRef workspace, Workspace? existing, ETag? ifMatch, bool createOnly) =>
        createOnly && existing is not null ? new(WriteStatus.Conflict, Detail: $"Workspace '{workspace.Id}' already exists.", Field: "id")
        : existing?.Status == WorkspaceStatus.Deleting ? new(WriteStatus.Conflict, Detail: $"Workspace '{workspace.Id}' is being deleted.")
        : !Preconditions.Matches(ifMatch, existing?.ETag) ? new(WriteStatus.PreconditionFailed, Detail: "If-Match does not match the workspace's current ETag.")
        : null;

    // A refresh token the partner brings is redeemed before anything is written, so a refused one
    // leaves the row exactly as it was, ETag included. A workspace that keeps its client and
    // environment imports it into the grant it holds; a new workspace, or one moving to another
    // client, environment or (code flow) company, redeems it with the new ones and stores the tokens once its row is written.
    private async Task<(ConnectionWrite? Write, WriteOutcome<Workspace>? Refused)> BringTokenAsync(ConnectionWrite write)
    {
        if (write.Settings.RefreshToken is not { } refreshToken)
        {
            return (write, null);
        }

        if (write.Original is { } existing && !write.ChangesGrantScope(existing))
        {
            var imported = await imports.ImportAsync(existing, refreshToken, CancellationToken.None);
            if (imported.Status != TokenStatus.Ok)
            {
                return (null, ImportFailed(imported, write.Client));
            }

            var current = await workspaces.FindAsync(write.Workspace, CancellationToken.None) ?? existing;
            return (write with { Imported = true, ReplacedGrant = imported.ReplacedAccessToken, Base = current }, null);
        }

        var (refused, redeemed) = await imports.RedeemAsync(write.Settings.Environment, write.Client, refreshToken, CancellationToken.None);
        return redeemed is null ? (null, ImportFailed(refused, write.Client)) : (write with { Redeemed = redeemed }, null);
    }

    private static WriteOutcome<Workspace> ImportFailed(TokenOutcome redeemed, OAuthClient client) => redeemed.Status switch
    {
        TokenStatus.NeedsReauthorization => new(WriteStatus.Refused, Detail: redeemed.Detail + " Nothing was changed.", Field: "refreshToken"),
        TokenStatus.InvalidClient => new(WriteStatus.Refused, Detail: redeemed.Detail + $" Check OAuth client '{client.Ref.Name}'; nothing was changed.", Field: "oauthClient"),
        TokenStatus.Busy => new(WriteStatus.Conflict, Detail: (redeemed.Detail ?? "The workspace's token is being refreshed; retry shortly.") + " Nothing was changed."),
        _ => new(WriteStatus.UpstreamFailed, Detail: redeemed.Detail + " Nothing was changed; retry (a spent token is then refused)."),
    };

    // The conditional write; for a move (under the refresh lease), also the read of the grant it
    // replaces; and the storing of redeemed tokens.
    private async Task<Written> WriteAsync(ConnectionWrite write, TagWrite tags, CancellationToken writeToken, CancellationToken cancellationToken)
    {
        var (outcome, over, carried) = await writer.WriteAsync(write, tags, writeToken);
        if (outcome.Value is not { } row)
        {
            await tagWrites.ForgetAsync(write.Workspace, carried.Added);
            return new Written(await NotWrittenAsync(write, outcome), outcome, carried, null);
        }

        if (!await clients.StillActiveAsync(row, cancellationToken))
        {
            return new Written(await writer.UndoAsync(over, row, carried, ConnectionClients.NoSuchClient(write.Settings.OAuthClient)), outcome, carried, null);
        }

        // Read under the refresh lease, once the row no longer holds the grant, and before an
        // imported grant is stored as a newer version: no refresh of the old grant can land after.
        // Never guessed afterwards: an import writes a newer version of the same secret, and "the
        // latest" would then be the grant just imported.
        var replaced = write.TakesGrantAway ? await imports.ReplacedGrantAsync(write.Original!, CancellationToken.None) : write.ReplacedGrant;
        var stored = write.Redeemed is { } redeemed
            ? outcome with { Value = await imports.StoreRedeemedAsync(row, redeemed, CancellationToken.None) }
            : outcome;
        return new Written(null, stored, carried, replaced);
    }

    // The settings could not be written. With no token spent, the write's own answer says it all.
    // Else say what happened, and leave no live grant nobody holds: an import into the row already
    // stored its grant (the replaced one is revoked as on success); a redeemed grant the row never
    // received is revoked.
    private async Task<WriteOutcome<Workspace>> NotWrittenAsync(ConnectionWrite write, WriteOutcome<Workspace> outcome)
    {
        if (!write.Spent)
        {
            return outcome;
        }

        if (write.Redeemed is { } redeemed)
        {
            logger.LogWarning("Workspace {WorkspaceId}: an imported grant was redeemed but the workspace could not be written ({Status}); revoking it", write.Workspace.Id, outcome.Status);
            await grants.RevokeRedeemedAsync(write.Workspace, write.Client, write.Settings.Environment, redeemed);
            return outcome with
            {
                Detail = outcome.Detail + " The refresh token was spent at Procore and its grant revoked: import a new one, or have a person connect.",
            };
        }

        if (write.Original?.Tokens is { } old && write.ReplacedGrant is not null)
        {
            await grants.RetireAsync(write.Original, old, write.ReplacedGrant);
        }

        return outcome.Status == WriteStatus.Conflict
            ? outcome with
            {
                Detail = $"The refresh token was imported: workspace '{write.Workspace.Id}' holds its grant. The other settings were not applied, "
                    + "as the workspace changed meanwhile: read it and retry without refreshToken.",
            }
            : outcome;
    }

    // Another holder kept the refresh lease past the wait: nothing was written.
    private async Task<WriteOutcome<Workspace>> NotMovedAsync(ConnectionWrite write, TagWrite tags)
    {
        await tagWrites.ForgetAsync(write.Workspace, tags.Added);
        if (write.Redeemed is { } redeemed)
        {
            await grants.RevokeRedeemedAsync(write.Workspace, write.Client, write.Settings.Environment, redeemed);
        }

        return new(WriteStatus.Conflict, Detail: $"Workspace '{write.Workspace.Id}' is being refreshed; retry shortly. Nothing was changed"
            + (write.Redeemed is null ? "." : "; the refresh token was spent at Procore and its grant revoked."));
    }

    // The write stands: the tags the row dropped leave the index, and the grant it replaced is of
    // no use to anyone now, so it is revoked at Procore and its version retired.
    private async Task<WriteOutcome<Workspace>> SettleAsync(ConnectionWrite write, Written written)
    {
        if (write.Original is not { } original)
        {
            return written.Outcome;
        }

        await tagWrites.ForgetAsync(write.Workspace, original.Tags.Where(t => written.Tags.Tags.GetValueOrDefault(t.Key) != t.Value));
        if (original.Tokens is { } old && written.Outcome.Value!.Tokens != old)
        {
            if (written.ReplacedGrant is null)
            {
                logger.LogWarning("Workspace {WorkspaceId}: the replaced grant's access token could not be read, so that grant is not revoked at Procore", original.Id);
            }

            await grants.RetireAsync(original, old, written.ReplacedGrant);
        }

        if (original.Status == WorkspaceStatus.Connected && written.Outcome.Value is { Status: WorkspaceStatus.Pending } moved && write.ChangesGrantScope(original))
        {
            await events.PublishAsync(moved.PartnerId, moved.Id, Events.EventTypes.WorkspaceDisconnected, new
            {
                moved.CompanyId,
                reason = original.Environment != moved.Environment ? "environment_changed"
                    : original.Client != moved.Client ? "oauth_client_changed"
                    : "company_changed",
                previous = new { environment = WireName.Of(original.Environment), oauthClient = original.Client.Name, companyId = original.CompanyId },
            }, CancellationToken.None);
        }

        return written.Outcome;
    }

    // What a write came to: a final answer (nothing more to do), or the outcome that stands, with
    // the tags the row carries and the replaced grant's access token.
    private sealed record Written(WriteOutcome<Workspace>? Final, WriteOutcome<Workspace> Outcome, TagWrite Tags, string? ReplacedGrant)
    {
        public override string ToString() => $"{nameof(Written)} {{ final {Final is not null}, {Outcome.Status} }}";
    }
}
