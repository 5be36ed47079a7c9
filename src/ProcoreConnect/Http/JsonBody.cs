using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ProcoreConnect.Http;

/// <summary>
/// Reads a JSON request body strictly and turns every way it can be wrong into a 400 problem
/// that names the offending field, without echoing the submitted value (it may be a secret).
/// </summary>
public static class JsonBody
{
    /// <summary>The largest body any endpoint accepts.</summary>
    public const int MaxBytes = 64 * 1024;

    private static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
        PropertyNameCaseInsensitive = false,
    };

    /// <summary>
    /// The parsed body, or the problem to answer with. <paramref name="fieldMessages"/> gives some
    /// fields a message of their own (a field that moved elsewhere says where to).
    /// </summary>
    public static async Task<(T? Value, ValidationProblem? Problem)> ReadAsync<T>(
        HttpRequest request, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? fieldMessages = null)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            // Under the Functions host a body sent without Content-Length (chunked) never arrives,
            // and its Content-Type is dropped with it: say what the caller can change.
            return request.ContentLength is null or 0 && request.Headers.TransferEncoding.Count == 0
                ? (null, Problems.Field("body", "A JSON body is required, sent with Content-Type: application/json and a Content-Length (the Functions host does not forward a chunked body)."))
                : (null, Problems.Field("Content-Type", "The body must be JSON, sent with Content-Type: application/json."));
        }

        if (request.ContentLength > MaxBytes)
        {
            return (null, TooLarge());
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return (null, TooLarge());
            }

            buffer.Write(chunk, 0, read);
        }

        // A member sent twice is ambiguous: the serializer keeps the last (a JsonObject throws on reading it).
        if (Duplicated(buffer.GetBuffer().AsMemory(0, (int)buffer.Length)) is { Count: > 0 } duplicated)
        {
            return (null, Problems.Fields(duplicated.ToDictionary(f => f, _ => new List<string> { "Sent more than once: send each member once." })));
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), Strict);
            return value is null
                ? (null, Problems.Field("body", "A JSON object is required."))
                : (value, null);
        }
        catch (JsonException ex)
        {
            var fields = OffendingFields<T>(buffer.GetBuffer().AsMemory(0, (int)buffer.Length)) ?? [FieldOf(ex)];
            return (null, Problems.Fields(fields.ToDictionary(
                f => f, f => new List<string> { fieldMessages?.GetValueOrDefault(f) ?? "Malformed JSON, an unknown field, or a value of the wrong type." })));
        }
    }

    // The serializer stops at the first bad field; a caller fixing a body wants them all. Each
    // member of a well-formed object is tried alone: unknown names, and values of the wrong type.
    // Null when the body is no JSON object (then the serializer's one position is all there is).
    private static List<string>? OffendingFields<T>(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var properties = Strict.GetTypeInfo(typeof(T)).Properties.ToDictionary(p => p.Name, p => p.PropertyType, StringComparer.Ordinal);
            var bad = new List<string>();
            foreach (var member in document.RootElement.EnumerateObject())
            {
                if (!properties.TryGetValue(member.Name, out var type))
                {
                    bad.Add(member.Name);
                }
                else if (Misfit(member.Value, type) is { } within)
                {
                    bad.Add(member.Name + within);
                }
            }

            return bad.Count > 0 ? [.. bad.Distinct(StringComparer.Ordinal)] : null;
        }
    }

    // The members an object of the body holds more than once, by path ("tags", "tags.a", "items[0].x").
    private static List<string>? Duplicated(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var found = new List<string>();
            Walk(document.RootElement, "", found);
            return [.. found.Distinct(StringComparer.Ordinal)];
        }
        catch (JsonException)
        {
            return null;
        }

        static void Walk(JsonElement element, string path, List<string> found)
        {
            if (element.ValueKind == JsonValueKind.Array)
            {
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, $"{path}[{index++}]", found);
                }
            }
            else if (element.ValueKind == JsonValueKind.Object)
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var member in element.EnumerateObject())
                {
                    var at = path.Length == 0 ? member.Name : $"{path}.{member.Name}";
                    if (!seen.Add(member.Name))
                    {
                        found.Add(at);
                    }

                    Walk(member.Value, at, found);
                }
            }
        }
    }

    // Null when the value reads as the type; else where inside it reading stopped ("" for the value itself, ".key", "[0]").
    private static string? Misfit(JsonElement value, Type type)
    {
        try
        {
            _ = value.Deserialize(type, Strict);
            return null;
        }
        catch (JsonException ex)
        {
            return ex.Path is { Length: > 1 } path && path.StartsWith('$') ? path[1..] : "";
        }
    }

    private static ValidationProblem TooLarge() => Problems.Field("body", $"The body exceeds {MaxBytes} bytes.");

    // "$.companyId" → "companyId"; the root or an unknown position → "body".
    private static string FieldOf(JsonException ex) =>
        ex.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "body";
}
