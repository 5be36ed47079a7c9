using ProcoreConnect.Secrets;

namespace ProcoreConnect.Events;

/// <summary>A partner's event webhook: where to post, and the reference of the signing secret.</summary>
public sealed record PartnerWebhook(string PartnerId, Uri Url, SecretReference SigningSecret, DateTimeOffset UpdatedAt);

/// <summary>The registration answer: the signing secret appears here only.</summary>
public sealed record PartnerWebhookRegistration(Uri Url, string SigningSecret, DateTimeOffset UpdatedAt)
{
    /// <summary>Never the signing secret: a record would print it.</summary>
    public override string ToString() => $"{nameof(PartnerWebhookRegistration)} {{ Url = {Url}, UpdatedAt = {UpdatedAt:u} }}";
}

/// <summary>The registration as read later: no secret.</summary>
public sealed record PartnerWebhookView(Uri Url, bool SigningSecretSet, DateTimeOffset UpdatedAt);

/// <summary>The body of <c>PUT /api/partner/webhook</c>.</summary>
public sealed record PartnerWebhookRequest(string? Url);
