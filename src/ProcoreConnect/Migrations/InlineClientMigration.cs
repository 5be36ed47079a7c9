using System.Text;
using Azure;
using Azure.Data.Tables;
using ProcoreConnect.Audit;
using ProcoreConnect.Clients;
using ProcoreConnect.Common;
using ProcoreConnect.Procore;
using ProcoreConnect.Secrets;
using ProcoreConnect.Storage;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Migrations;

/// <summary>
/// Moves workspaces written before OAuth clients were a resource into the current model: each
/// partner's distinct (flow, client id, redirect URI) becomes an OAuth client named
/// <c>migrated-{client id}</c> holding the newest of its secrets, and each workspace row is
/// re-keyed by partner and points at its client. The workspace keeps its key (its old secret
/// prefix), so its tokens secret, and with it the refresh token, stays where it is; its due entry
/// is written anew. Idempotent: a second run finds nothing to do.
/// </summary>
public sealed class InlineClientMigration(
    TableStore tables,
    ISecretStore secrets,
    OAuthClientRepository clients,
    RefreshDueIndex index,
    TimeProvider time,
    ILogger<InlineClientMigration> logger)
{
    /// <summary>Runs the migration.</summary>
    public async Task<MigrationReport> RunAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(WorkspaceRepository.TableName, cancellationToken);
        var legacy = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"OwnerPartnerId ne {""}"), cancellationToken: cancellationToken))
        {
            if (!row.ContainsKey("Key"))
            {
                legacy.Add(row);
            }
        }

        int migrated = 0, clientsCreated = 0, deletesFinished = 0;
        var auditTable = await tables.GetAsync(AuditLog.TableName, cancellationToken);
        foreach (var group in legacy.GroupBy(r => (Partner: r.GetString("OwnerPartnerId"), Flow: r.GetString("AuthFlow"), ClientId: r.GetString("ClientId"), Redirect: r.GetString("RedirectUri") ?? "")))
        {
            var live = group.Where(r => r.GetString("Status") != WireName.Of(WorkspaceStatus.Deleting)).ToList();
            foreach (var deleting in group.Except(live))
            {
                await FinishDeleteAsync(table, deleting, cancellationToken);
                deletesFinished++;
            }

            if (live.Count == 0)
            {
                continue;
            }

            var (client, created) = await ClientForAsync(group.Key.Partner, live, cancellationToken);
            clientsCreated += created ? 1 : 0;
            foreach (var row in live)
            {
                await MoveAsync(table, auditTable, row, client, cancellationToken);
                migrated++;
            }
        }

        var staleEntries = await RemoveLegacyIndexEntriesAsync(cancellationToken);
        logger.LogInformation(
            "Inline client migration: {Migrated} workspaces moved, {Clients} clients created, {Deletes} deletes finished, {Entries} old index entries removed",
            migrated, clientsCreated, deletesFinished, staleEntries);
        return new MigrationReport(migrated, clientsCreated, deletesFinished, staleEntries);
    }

    // The partner's client for these credentials: an earlier run's, or a new one with the newest secret.
    private async Task<(OAuthClient Client, bool Created)> ClientForAsync(string partner, List<TableEntity> rows, CancellationToken cancellationToken)
    {
        var newest = rows.MaxBy(r => r.GetDateTimeOffset("ClientSecretUpdatedAt"))!;
        var flow = WireName.Parse<AuthFlow>(newest.GetString("AuthFlow"));
        var clientId = newest.GetString("ClientId");
        var redirect = newest.GetString("RedirectUri") is { Length: > 0 } r ? new Uri(r) : null;
        var stem = "migrated-" + Slug(clientId);
        for (var n = 1; ; n++)
        {
            var name = n == 1 ? stem : $"{stem[..Math.Min(stem.Length, 60)]}-{n}";
            var existing = await clients.FindAsync(new OAuthClientRef(partner, name), cancellationToken);
            if (existing is not null)
            {
                if (existing.AuthFlow == flow && existing.ClientId == clientId && existing.RedirectUri == redirect)
                {
                    return (existing, false);
                }

                continue;
            }

            var value = await secrets.GetAsync(new SecretReference(newest.GetString("ClientSecretName"), newest.GetString("ClientSecretVersion")), cancellationToken);
            var prefix = SecretNames.NewClientPrefix(name);
            var now = time.GetUtcNow();
            var client = new OAuthClient
            {
                Ref = new OAuthClientRef(partner, name),
                DisplayName = $"Migrated from inline credentials ({clientId})"[..Math.Min(100, 34 + clientId.Length)],
                AuthFlow = flow,
                ClientId = clientId,
                RedirectUri = redirect,
                SecretPrefix = prefix,
                ClientSecret = await secrets.SetAsync(SecretNames.ClientSecret(prefix), value, cancellationToken),
                ClientSecretUpdatedAt = newest.GetDateTimeOffset("ClientSecretUpdatedAt") ?? now,
                ClientSecretExpiresAt = newest.GetDateTimeOffset("ClientSecretExpiresAt"),
                Status = OAuthClientStatus.Active,
                CreatedAt = now,
                UpdatedAt = now,
            };
            try
            {
                return (await clients.AddAsync(client, cancellationToken), true);
            }
            catch (ConcurrencyConflictException)
            {
                // Another run created it meanwhile: look again.
                await secrets.DeleteAsync(SecretNames.ClientSecret(prefix), CancellationToken.None);
                n--;
            }
        }
    }

    private async Task MoveAsync(TableClient table, TableClient auditTable, TableEntity row, OAuthClient client, CancellationToken cancellationToken)
    {
        var id = row.RowKey;
        var oldPrefix = row.GetString("SecretPrefix");
        var workspace = new Workspace
        {
            Id = id,
            PartnerId = client.Ref.Owner,
            Key = oldPrefix.StartsWith("ws-", StringComparison.Ordinal) ? oldPrefix[3..] : Workspace.NewKey(id),
            CompanyId = row.GetInt64("CompanyId") ?? 0,
            Environment = WireName.Parse<ProcoreEnvironment>(row.GetString("Environment")),
            Client = client.Ref,
            AuthFlow = client.AuthFlow,
            // A client-credentials workspace now shares its client's token; its own goes.
            Status = WireName.Parse<WorkspaceStatus>(row.GetString("Status")),
            Tokens = client.AuthFlow == AuthFlow.AuthorizationCode && row.GetString("TokensName") is { } name && row.GetString("TokensVersion") is { } version
                ? new SecretReference(name, version) : null,
            AccessTokenIssuedAt = client.AuthFlow == AuthFlow.AuthorizationCode ? row.GetDateTimeOffset("AccessTokenIssuedAt") : null,
            AccessTokenExpiresAt = client.AuthFlow == AuthFlow.AuthorizationCode ? row.GetDateTimeOffset("AccessTokenExpiresAt") : null,
            RefreshDueAt = client.AuthFlow == AuthFlow.AuthorizationCode ? row.GetDateTimeOffset("RefreshDueAt") : null,
            LastCheckedAt = row.GetDateTimeOffset("LastCheckedAt"),
            LastCheckOk = row.GetBoolean("LastCheckOk"),
            LastError = row.GetString("LastError"),
            CreatedAt = row.GetDateTimeOffset("CreatedAt") ?? time.GetUtcNow(),
            UpdatedAt = time.GetUtcNow(),
        };

        // The due entry first: a crash after it leaves an entry the sweep finds stale, never a connected workspace without one.
        if (workspace is { Status: WorkspaceStatus.Connected, RefreshDueAt: { } due })
        {
            await index.ScheduleAsync(new DueWorkspace(workspace.Ref, workspace.Key, due), cancellationToken);
        }

        await CopyAuditAsync(auditTable, id, workspace.Key, cancellationToken);
        var entity = WorkspaceEntity.From(workspace);
        if (row.PartitionKey == workspace.PartnerId)
        {
            // Partner id and workspace id are equal: the new row takes the old one's place.
            await table.UpdateEntityAsync(entity, row.ETag, TableUpdateMode.Replace, cancellationToken);
        }
        else
        {
            try
            {
                await table.AddEntityAsync(entity, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                // Moved by an earlier run that stopped before removing the old row.
            }

            await TableTransactions.DeleteIfUnchangedAsync(table, row.PartitionKey, row.RowKey, row.ETag, cancellationToken);
        }

        // The workspace's own copy of the client secret is the client's now.
        await secrets.DeleteAsync(SecretNames.ClientSecret(oldPrefix), CancellationToken.None);
        if (client.AuthFlow == AuthFlow.ClientCredentials)
        {
            await secrets.DeleteAsync(SecretNames.Tokens(oldPrefix), CancellationToken.None);
        }
    }

    private static async Task CopyAuditAsync(TableClient auditTable, string oldScope, string newScope, CancellationToken cancellationToken)
    {
        await foreach (var entry in auditTable.QueryAsync<TableEntity>(e => e.PartitionKey == oldScope, cancellationToken: cancellationToken))
        {
            var copy = new TableEntity(entry) { PartitionKey = newScope, ETag = default };
            await auditTable.UpsertEntityAsync(copy, TableUpdateMode.Replace, cancellationToken);
            await TableTransactions.DeleteIfUnchangedAsync(auditTable, oldScope, entry.RowKey, ETag.All, cancellationToken);
        }
    }

    private async Task FinishDeleteAsync(TableClient table, TableEntity row, CancellationToken cancellationToken)
    {
        var prefix = row.GetString("SecretPrefix");
        await secrets.DeleteAsync(SecretNames.ClientSecret(prefix), cancellationToken);
        await secrets.DeleteAsync(SecretNames.Tokens(prefix), cancellationToken);
        await TableTransactions.DeleteIfUnchangedAsync(table, row.PartitionKey, row.RowKey, row.ETag, cancellationToken);
    }

    // Entries of an old shape: a workspace by id alone, or a due time in seconds; the current ones were written above.
    private async Task<int> RemoveLegacyIndexEntriesAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(RefreshDueIndex.TableName, cancellationToken);
        var stale = new List<(string, ETag)>();
        await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            if (!row.ContainsKey("Kind") || !RefreshDueIndex.IsCurrentKey(row.RowKey))
            {
                stale.Add((row.RowKey, ETag.All));
            }
        }

        if (stale.Count > 0)
        {
            await TableTransactions.DeleteAllAsync(table, "due", stale, parallelism: 1, cancellationToken);
        }

        return stale.Count;
    }

    // Lower-case letters, digits and '-' (a client name), from any client id.
    private static string Slug(string clientId)
    {
        var slug = new StringBuilder();
        foreach (var c in clientId.ToLowerInvariant())
        {
            slug.Append(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) ? c : '-');
            if (slug.Length == 40)
            {
                break;
            }
        }

        return slug.ToString().Trim('-') is { Length: > 0 } trimmed ? trimmed : "client";
    }
}

/// <summary>What a migration run did.</summary>
public sealed record MigrationReport(int WorkspacesMigrated, int ClientsCreated, int DeletesFinished, int OldIndexEntriesRemoved);
