using System.Globalization;
using System.Text.Json;

namespace ProcoreConnect.Webhooks;

/// <summary>
/// A Procore webhook delivery, normalised from any of Procore's payload formats: v2 and v3
/// (numeric ids, <c>ulid</c>, <c>event_type</c>, <c>resource_name</c>; v3 adds
/// <c>related_resources</c>) and v4 (string ids, <c>reason</c> and <c>resource_type</c>, no
/// <c>ulid</c>). The raw payload is kept as it came.
/// </summary>
public sealed record ProcoreDelivery
{
    /// <summary>What deduplicates the delivery: the ULID (v2, v3) or the v4 id, else <c>id-{id}</c>.</summary>
    public required string Key { get; init; }

    /// <summary>e.g. "Projects".</summary>
    public string? ResourceName { get; init; }

    /// <summary>"create", "update", "delete" (v4 may say more).</summary>
    public string? EventType { get; init; }

    /// <summary>The changed resource's id.</summary>
    public long? ResourceId { get; init; }

    /// <summary>The company.</summary>
    public long? CompanyId { get; init; }

    /// <summary>The project, when the resource belongs to one.</summary>
    public long? ProjectId { get; init; }

    /// <summary>
    /// Reads a delivery; null when it is not one: not a JSON object, no usable id, or an id field
    /// of the wrong type (an object, or a string that is not a number where v4 sends digits).
    /// </summary>
    public static ProcoreDelivery? Parse(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !TryId(root, "resource_id", out var resourceId) || !TryId(root, "company_id", out var companyId) || !TryId(root, "project_id", out var projectId)
                || !TryText(root, "resource_name", out var resourceName) || !TryText(root, "resource_type", out var resourceType)
                || !TryText(root, "event_type", out var eventType) || !TryText(root, "reason", out var reason)
                || KeyOf(root) is not { } key)
            {
                return null;
            }

            return new ProcoreDelivery
            {
                Key = key,
                ResourceName = resourceName ?? resourceType,
                EventType = eventType ?? reason,
                ResourceId = resourceId,
                CompanyId = companyId,
                ProjectId = projectId,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? KeyOf(JsonElement root)
    {
        if (root.TryGetProperty("ulid", out var ulid) && ulid.ValueKind == JsonValueKind.String && IsToken(ulid.GetString()))
        {
            return ulid.GetString();
        }

        if (!root.TryGetProperty("id", out var id))
        {
            return null;
        }

        return id.ValueKind switch
        {
            JsonValueKind.String when IsToken(id.GetString()) => id.GetString(),
            JsonValueKind.Number when id.TryGetInt64(out var number) && number > 0 => "id-" + number.ToString(CultureInfo.InvariantCulture),
            _ => null,
        };
    }

    // Row keys: letters and digits only, at most 64.
    private static bool IsToken(string? value) => value is { Length: > 0 and <= 64 } && value.All(char.IsAsciiLetterOrDigit);

    // Absent or null: fine. A number, or (v4) a string of digits: the id. Anything else: malformed.
    private static bool TryId(JsonElement root, string name, out long? value)
    {
        value = null;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var number))
        {
            value = number;
            return true;
        }

        if (element.ValueKind == JsonValueKind.String
            && long.TryParse(element.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
            return true;
        }

        return false;
    }

    private static bool TryText(JsonElement root, string name, out string? value)
    {
        value = null;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.String || element.GetString()!.Length > 200)
        {
            return false;
        }

        value = element.GetString();
        return true;
    }
}
