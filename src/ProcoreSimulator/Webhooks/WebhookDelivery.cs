using System.Globalization;
using System.Security.Cryptography;

namespace ProcoreSimulator.Webhooks;

/// <summary>What <c>POST /_simulator/webhooks/deliver</c> sends, and to whom.</summary>
public sealed record WebhookDeliveryRequest
{
    /// <summary>The hook's destination URL.</summary>
    public required Uri Url { get; init; }

    /// <summary>The hook's <c>Authorization</c> destination header, if any.</summary>
    public string? Authorization { get; init; }

    /// <summary>The payload format: <c>v2</c>, <c>v3</c> or <c>v4</c>.</summary>
    public string Format { get; init; } = "v2";

    /// <summary>The resource, e.g. "Projects".</summary>
    public string ResourceName { get; init; } = "Projects";

    /// <summary>"create", "update" or "delete" (v4's <c>reason</c>).</summary>
    public string EventType { get; init; } = "create";

    /// <summary>The changed resource's id.</summary>
    public long ResourceId { get; init; }

    /// <summary>The company.</summary>
    public long CompanyId { get; init; }

    /// <summary>The project, if the resource belongs to one.</summary>
    public long? ProjectId { get; init; }

    /// <summary>How many times the same event is sent (Procore retries, so receivers see duplicates).</summary>
    public int Times { get; init; } = 1;
}

/// <summary>Builds event payloads in Procore's formats (the webhooks page of Procore's developer docs).</summary>
public static class WebhookPayloads
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>The JSON body of one event in the requested format; null for an unknown format.</summary>
    public static object? Build(WebhookDeliveryRequest request, DateTimeOffset now)
    {
        var eventId = RandomNumberGenerator.GetInt32(1, int.MaxValue);
        var timestamp = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        return request.Format switch
        {
            "v2" or "v3" => new Dictionary<string, object?>
            {
                ["id"] = eventId,
                ["ulid"] = Ulid(),
                ["timestamp"] = timestamp,
                ["metadata"] = new { source_user_id = 5447, source_project_id = request.ProjectId, source_operation_id = (long?)null, source_company_id = request.CompanyId, source_application_id = (long?)null },
                ["user_id"] = 5447,
                ["company_id"] = request.CompanyId,
                ["project_id"] = request.ProjectId,
                ["api_version"] = request.Format + ".0",
                ["event_type"] = request.EventType,
                ["resource_name"] = request.ResourceName,
                ["resource_id"] = request.ResourceId,
                ["related_resources"] = request.Format == "v3" ? Array.Empty<object>() : null,
            }.Where(p => p.Key != "related_resources" || request.Format == "v3").ToDictionary(),
            "v4" => new Dictionary<string, object?>
            {
                ["id"] = Ulid(),
                ["timestamp"] = timestamp,
                ["reason"] = request.EventType,
                ["company_id"] = request.CompanyId.ToString(CultureInfo.InvariantCulture),
                ["project_id"] = request.ProjectId?.ToString(CultureInfo.InvariantCulture),
                ["user_id"] = "5447",
                ["resource_type"] = request.ResourceName,
                ["resource_id"] = request.ResourceId.ToString(CultureInfo.InvariantCulture),
            },
            _ => null,
        };
    }

    // 26 characters of Crockford base32, as Procore's ULIDs.
    private static string Ulid() => string.Create(26, RandomNumberGenerator.GetBytes(26), (chars, bytes) =>
    {
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Crockford[bytes[i] % 32];
        }
    });
}
