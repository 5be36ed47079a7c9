using System.Security.Cryptography;
using Azure;
using ProcoreConnect.Secrets;
using ProcoreConnect.Storage;

namespace ProcoreConnect.Events;

/// <summary>Partner event webhooks: URL in a table, signing secret in the secret store.</summary>
public sealed class PartnerWebhookStore(TableStore tables, ISecretStore secrets, SecretVersionCache secretVersions, TimeProvider time)
{
    /// <summary>The table's name (before the configured prefix).</summary>
    public const string TableName = "PartnerWebhooks";

    /// <summary>Registers (or replaces) the partner's URL with a new signing secret, returned once.</summary>
    public async Task<PartnerWebhookRegistration> SetAsync(string partnerId, Uri url, CancellationToken cancellationToken)
    {
        var signing = "whsec_" + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var reference = await secrets.SetAsync($"partner-{partnerId}-event-signing", signing, cancellationToken);
        var table = await tables.GetAsync(TableName, cancellationToken);
        var previous = await FindAsync(partnerId, cancellationToken);
        var now = time.GetUtcNow();
        await table.UpsertEntityAsync(new PartnerWebhookEntity
        {
            PartitionKey = partnerId,
            RowKey = partnerId,
            Url = url.ToString(),
            SecretName = reference.Name,
            SecretVersion = reference.Version,
            UpdatedAt = now,
        }, Azure.Data.Tables.TableUpdateMode.Replace, cancellationToken);
        if (previous is not null)
        {
            await secrets.DisableAsync(previous.SigningSecret, cancellationToken);
        }

        return new PartnerWebhookRegistration(url, signing, now);
    }

    /// <summary>The partner's webhook, if registered.</summary>
    public async Task<PartnerWebhook?> FindAsync(string partnerId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<PartnerWebhookEntity>(partnerId, partnerId, cancellationToken: cancellationToken);
        return row.HasValue
            ? new PartnerWebhook(partnerId, new Uri(row.Value!.Url), new SecretReference(row.Value.SecretName, row.Value.SecretVersion), row.Value.UpdatedAt)
            : null;
    }

    /// <summary>Removes the registration and its secret.</summary>
    public async Task<bool> DeleteAsync(string partnerId, CancellationToken cancellationToken)
    {
        var existing = await FindAsync(partnerId, cancellationToken);
        if (existing is null)
        {
            return false;
        }

        var table = await tables.GetAsync(TableName, cancellationToken);
        await table.DeleteEntityAsync(partnerId, partnerId, ETag.All, cancellationToken);
        await secrets.DisableAsync(existing.SigningSecret, cancellationToken);
        return true;
    }

    /// <summary>The signing secret (cached by version: a hot delivery path costs no secret-store read).</summary>
    public Task<string> SigningSecretAsync(PartnerWebhook webhook, CancellationToken cancellationToken) =>
        secretVersions.GetAsync(webhook.SigningSecret, cancellationToken);
}
