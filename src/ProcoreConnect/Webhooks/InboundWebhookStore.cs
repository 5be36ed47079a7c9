using System.Security.Cryptography;
using System.Text;
using Azure;
using ProcoreConnect.Storage;

namespace ProcoreConnect.Webhooks;

/// <summary>Inbound Procore hooks: their Authorization values (as salted hashes), deliveries and the projects they reveal.</summary>
public sealed class InboundWebhookStore(TableStore tables, TimeProvider time)
{
    /// <summary>Table names (before the configured prefix).</summary>
    public const string HooksTable = "InboundHooks", DeliveriesTable = "WebhookDeliveries", ProjectsTable = "KnownProjects";

    /// <summary>Creates (or replaces) the workspace's hook secret and returns the Authorization value to configure in Procore, once.</summary>
    public async Task<string> ConfigureAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var value = "Bearer " + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var salt = RandomNumberGenerator.GetBytes(16);
        var table = await tables.GetAsync(HooksTable, cancellationToken);
        await table.UpsertEntityAsync(new InboundHookEntity
        {
            PartitionKey = workspaceId,
            Salt = salt,
            Hash = Hash(salt, value),
            ConfiguredAt = time.GetUtcNow(),
        }, Azure.Data.Tables.TableUpdateMode.Replace, cancellationToken);
        return value;
    }

    /// <summary>True when <paramref name="authorization"/> is the workspace's configured value (constant-time).</summary>
    public async Task<bool> VerifyAsync(string workspaceId, string? authorization, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(HooksTable, cancellationToken);
        var hook = await table.GetEntityIfExistsAsync<InboundHookEntity>(workspaceId, "procore", cancellationToken: cancellationToken);
        // Hash even when there is no hook, so timing does not tell configured workspaces apart.
        var salt = hook.HasValue ? hook.Value!.Salt : new byte[16];
        var presented = Hash(salt, authorization ?? "");
        return hook.HasValue && authorization is not null && CryptographicOperations.FixedTimeEquals(presented, hook.Value!.Hash);
    }

    /// <summary>Stores a delivery once; false when its id was seen before.</summary>
    public async Task<bool> RecordAsync(string workspaceId, string deliveryKey, ProcoreDelivery delivery, string payload, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(DeliveriesTable, cancellationToken);
        try
        {
            await table.AddEntityAsync(new DeliveryEntity
            {
                PartitionKey = workspaceId,
                RowKey = deliveryKey,
                ResourceName = delivery.ResourceName,
                EventType = delivery.EventType,
                ResourceId = delivery.ResourceId,
                ProjectId = delivery.ProjectId,
                Payload = payload,
                ReceivedAt = time.GetUtcNow(),
            }, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Remembers a project Procore announced.</summary>
    public async Task AddProjectAsync(string workspaceId, long projectId, long companyId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(ProjectsTable, cancellationToken);
        try
        {
            await table.AddEntityAsync(new KnownProjectEntity
            {
                PartitionKey = workspaceId,
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
    public async Task<IReadOnlyList<(long ProjectId, DateTimeOffset FirstSeenAt)>> ProjectsAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(ProjectsTable, cancellationToken);
        var projects = new List<(long, DateTimeOffset)>();
        await foreach (var row in table.QueryAsync<KnownProjectEntity>(p => p.PartitionKey == workspaceId, cancellationToken: cancellationToken))
        {
            projects.Add((long.Parse(row.RowKey, System.Globalization.CultureInfo.InvariantCulture), row.FirstSeenAt));
        }

        return projects;
    }

    private static byte[] Hash(byte[] salt, string value) => HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(value));
}
