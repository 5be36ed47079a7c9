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

        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), Strict);
            return value is null
                ? (null, Problems.Field("body", "A JSON object is required."))
                : (value, null);
        }
        catch (JsonException ex)
        {
            var field = FieldOf(ex);
            return (null, Problems.Field(field, fieldMessages?.GetValueOrDefault(field) ?? "Malformed JSON, an unknown field, or a value of the wrong type."));
        }
    }

    private static ValidationProblem TooLarge() => Problems.Field("body", $"The body exceeds {MaxBytes} bytes.");

    // "$.companyId" → "companyId"; the root or an unknown position → "body".
    private static string FieldOf(JsonException ex) =>
        ex.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "body";
}
