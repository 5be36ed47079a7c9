using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using ProcoreConnect.Storage;

namespace ProcoreConnect.Webhooks;

/// <summary>
/// Inbound Procore hooks: their Authorization values (as salted hashes), deliveries and the projects
/// they reveal, all kept under the workspace's key so nothing passes to a later workspace with the same id.
/// </summary>
public sealed class InboundWebhookStore(TableStore tables, TimeProvider time)
{
    /// <summary>Table names (before the configured prefix).</summary>
    public const string HooksTable = "InboundHooks", DeliveriesTable = "WebhookDeliveries", ProjectsTable = "KnownProjects";

    /// <summary>Creates (or replaces) the workspace's hook secret and returns the Authorization value to configure in Procore, once.</summary>
    public async Task<string> ConfigureAsync(Workspaces.Workspace workspace, CancellationToken cancellationToken)
    {
        var value = "Bearer " + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var salt = RandomNumberGenerator.GetBytes(16);
        var table = await tables.GetAsync(HooksTable, cancellationToken);
        await table.UpsertEntityAsync(new InboundHookEntity
        {
            PartitionKey = workspace.Key,
            PartnerId = workspace.PartnerId,
            WorkspaceId = workspace.Id,
            Salt = salt,
            Hash = Hash(salt, value),
            ConfiguredAt = time.GetUtcNow(),
        }, Azure.Data.Tables.TableUpdateMode.Replace, cancellationToken);
        return value;
    }

    /// <summary>
    /// The workspace whose hook <paramref name="authorization"/> is the configured value of
    /// (compared in constant time), or null.
    /// </summary>
    public async Task<Workspaces.WorkspaceRef?> VerifyAsync(string workspaceKey, string? authorization, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(HooksTable, cancellationToken);
        var hook = await table.GetEntityIfExistsAsync<InboundHookEntity>(workspaceKey, "procore", cancellationToken: cancellationToken);
        // Hash even when there is no hook, so timing does not tell configured workspaces apart.
        var salt = hook.HasValue ? hook.Value!.Salt : new byte[16];
        var presented = Hash(salt, authorization ?? "");
        return hook.HasValue && authorization is not null && CryptographicOperations.FixedTimeEquals(presented, hook.Value!.Hash)
            ? new Workspaces.WorkspaceRef(hook.Value.PartnerId, hook.Value.WorkspaceId)
            : null;
    }

    /// <summary>Stores a delivery once; false when its id was seen before.</summary>
    public async Task<bool> RecordAsync(string workspaceKey, ProcoreDelivery delivery, string payload, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(DeliveriesTable, cancellationToken);
        try
        {
            var row = new DeliveryEntity
            {
                PartitionKey = workspaceKey,
                RowKey = delivery.Key,
                ResourceName = delivery.ResourceName,
                EventType = delivery.EventType,
                ResourceId = delivery.ResourceId,
                ProjectId = delivery.ProjectId,
                ReceivedAt = time.GetUtcNow(),
            };
            row.SetPayload(payload);
            await table.AddEntityAsync(row, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>
    /// Deletes deliveries received before <paramref name="cutoff"/>; returns how many. A filtered
    /// scan of the table (keys only), then a hundred deletes per transaction within each workspace.
    /// </summary>
    public async Task<int> ExpireDeliveriesAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(DeliveriesTable, cancellationToken);
        return await TableTransactions.DeleteWhereAsync(table, TableClient.CreateQueryFilter($"ReceivedAt lt {cutoff}"), cancellationToken);
    }

    /// <summary>Remembers a project Procore announced.</summary>
    public async Task AddProjectAsync(string workspaceKey, long projectId, long companyId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(ProjectsTable, cancellationToken);
        try
        {
            await table.AddEntityAsync(new KnownProjectEntity
            {
                PartitionKey = workspaceKey,
                RowKey = projectId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                CompanyId = companyId,
                FirstSeenAt = time.GetUtcNow(),
            }, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Already known.
        }
    }

    /// <summary>The projects Procore announced for a workspace.</summary>
    public async Task<IReadOnlyList<(long ProjectId, DateTimeOffset FirstSeenAt)>> ProjectsAsync(string workspaceKey, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(ProjectsTable, cancellationToken);
        var projects = new List<(long, DateTimeOffset)>();
        await foreach (var row in table.QueryAsync<KnownProjectEntity>(p => p.PartitionKey == workspaceKey, cancellationToken: cancellationToken))
        {
            projects.Add((long.Parse(row.RowKey, System.Globalization.CultureInfo.InvariantCulture), row.FirstSeenAt));
        }

        return projects;
    }

    /// <summary>Removes a deleted workspace's hook, deliveries and known projects (its audit stays).</summary>
    public async Task PurgeAsync(string workspaceKey, CancellationToken cancellationToken)
    {
        var hooks = await tables.GetAsync(HooksTable, cancellationToken);
        await TableTransactions.DeleteIfUnchangedAsync(hooks, workspaceKey, "procore", ETag.All, cancellationToken);
        foreach (var name in new[] { DeliveriesTable, ProjectsTable })
        {
            var table = await tables.GetAsync(name, cancellationToken);
            var rows = new List<(string, ETag)>();
            await foreach (var row in table.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == workspaceKey, select: ["RowKey"], cancellationToken: cancellationToken))
            {
                rows.Add((row.RowKey, ETag.All));
            }

            await TableTransactions.DeleteAllAsync(table, workspaceKey, rows, parallelism: 1, cancellationToken);
        }
    }

    private static byte[] Hash(byte[] salt, string value) => HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(value));
}
