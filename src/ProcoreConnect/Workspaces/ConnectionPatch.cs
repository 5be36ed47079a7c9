using System.Text.Json;
using System.Text.Json.Nodes;
using ProcoreConnect.Common;

namespace ProcoreConnect.Workspaces;

/// <summary>
/// The body of <c>PATCH /api/workspaces/{id}/connection</c>: a JSON merge patch (RFC 7396) of the
/// connection. A field left out keeps its value; <c>null</c> removes a tag (or, for <c>tags</c>,
/// all of them) and is refused for a field the connection cannot go without. This record only
/// describes the body; <see cref="Apply"/> reads it, since a patch tells "null" from "left out".
/// </summary>
public sealed record ConnectionPatch
{
    /// <summary>A new Procore company id; cannot be removed.</summary>
    public long? CompanyId { get; init; }

    /// <summary>A new environment; cannot be removed.</summary>
    public string? Environment { get; init; }

    /// <summary>Another OAuth client; cannot be removed.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("oauthClient")]
    public string? OAuthClient { get; init; }

    /// <summary>A refresh token to import, as on <c>PUT</c>; nothing to remove.</summary>
    public string? RefreshToken { get; init; }

    /// <summary>Tags to set (a value) or remove (<c>null</c>); the others stay. <c>"tags": null</c> removes them all.</summary>
    public Dictionary<string, string?>? Tags { get; init; }

    /// <summary>Never the refresh token: a record would print it.</summary>
    public override string ToString() => $"{nameof(ConnectionPatch)} {{ {Tags?.Count ?? 0} tags }}";

    private static readonly string[] Fields = ["companyId", "environment", "oauthClient", "refreshToken", "tags"];

    /// <summary>
    /// <paramref name="patch"/> applied to <paramref name="current"/>, as the full request a
    /// <c>PUT</c> would send (tags only when the patch touches them), or every field it gets wrong.
    /// </summary>
    public static (ConnectionRequest? Merged, Dictionary<string, List<string>> Errors) Apply(Workspace current, JsonObject patch)
    {
        var errors = new Dictionary<string, List<string>>();
        void Fail(string field, string message) => (errors.TryGetValue(field, out var list) ? list : errors[field] = []).Add(message);

        foreach (var name in patch.Select(p => p.Key).Where(n => !Fields.Contains(n, StringComparer.Ordinal)))
        {
            Fail(name, ConnectionRequest.MovedFields.GetValueOrDefault(name) ?? $"Unknown field. A patch may carry: {string.Join(", ", Fields)}.");
        }

        var merged = new ConnectionRequest
        {
            CompanyId = Required<long?>(patch, "companyId", Fail, n => n.GetValueKind() == JsonValueKind.Number && n.AsValue().TryGetValue<long>(out var v) ? v : null,
                "Must be a positive integer (a JSON number).") ?? current.CompanyId,
            Environment = Required<string>(patch, "environment", Fail, Text, "Must be a string.") ?? WireName.Of(current.Environment),
            OAuthClient = Required<string>(patch, "oauthClient", Fail, Text, "Must be a string.") ?? current.Client.Name,
            RefreshToken = patch.TryGetPropertyValue("refreshToken", out var token) ? ImportedToken(token, Fail) : null,
            Tags = patch.TryGetPropertyValue("tags", out var tags) ? MergeTags(current.Tags, tags, Fail) : null,
        };
        return (errors.Count == 0 ? merged : null, errors);
    }

    private static string? Text(JsonNode node) => node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;

    // A field the connection cannot go without: left out keeps it, null is refused, else it must read.
    private static T? Required<T>(JsonObject patch, string field, Action<string, string> fail, Func<JsonNode, T?> read, string wrongType)
    {
        if (!patch.TryGetPropertyValue(field, out var node))
        {
            return default;
        }

        if (node is null)
        {
            fail(field, "Required: a connection cannot go without it, so null (remove) is refused. Leave it out to keep it, or give a new value.");
            return default;
        }

        var value = read(node);
        if (value is null)
        {
            fail(field, wrongType);
        }

        return value;
    }

    private static string? ImportedToken(JsonNode? node, Action<string, string> fail)
    {
        if (node?.GetValueKind() != JsonValueKind.String)
        {
            fail("refreshToken", "A refresh token to import is a string; it is never stored as a field, so there is nothing to remove. Leave it out.");
            return null;
        }

        return node.GetValue<string>();
    }

    // RFC 7396 on the tags object: a value sets a tag, null removes it, the others stay; null for the whole removes every tag.
    private static Dictionary<string, string?> MergeTags(IReadOnlyDictionary<string, string> current, JsonNode? node, Action<string, string> fail)
    {
        var merged = new Dictionary<string, string?>(current.ToDictionary(t => t.Key, t => (string?)t.Value), StringComparer.Ordinal);
        if (node is null)
        {
            return [];
        }

        if (node is not JsonObject changes)
        {
            fail("tags", "An object of \"key\": \"value\" pairs; a null value removes that tag, \"tags\": null removes them all.");
            return merged;
        }

        foreach (var (key, value) in changes)
        {
            if (value is null)
            {
                merged.Remove(key);
            }
            else if (value.GetValueKind() == JsonValueKind.String)
            {
                merged[key] = value.GetValue<string>();
            }
            else
            {
                // An invalid key is named by the validator, under "tags", without echoing it as a field.
                fail(WorkspaceTags.IsKey(key) ? $"tags.{key}" : "tags", "A tag value is a string, or null to remove the tag.");
            }
        }

        return merged;
    }
}
