using System.Text.Json.Serialization;

namespace ProcoreConnect.Webhooks;

/// <summary>The fields of a Procore webhook delivery the service reads (others are kept in the stored payload).</summary>
public sealed record ProcoreDelivery
{
    /// <summary>Procore's numeric delivery id.</summary>
    [JsonPropertyName("id")]
    public long? Id { get; init; }

    /// <summary>Procore's ULID of the delivery.</summary>
    [JsonPropertyName("ulid")]
    public string? Ulid { get; init; }

    /// <summary>e.g. "Projects".</summary>
    [JsonPropertyName("resource_name")]
    public string? ResourceName { get; init; }

    /// <summary>The changed resource's id.</summary>
    [JsonPropertyName("resource_id")]
    public long? ResourceId { get; init; }

    /// <summary>"create", "update" or "delete".</summary>
    [JsonPropertyName("event_type")]
    public string? EventType { get; init; }

    /// <summary>The company.</summary>
    [JsonPropertyName("company_id")]
    public long? CompanyId { get; init; }

    /// <summary>The project, when the resource belongs to one.</summary>
    [JsonPropertyName("project_id")]
    public long? ProjectId { get; init; }
}
