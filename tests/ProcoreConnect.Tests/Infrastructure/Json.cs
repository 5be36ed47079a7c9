using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProcoreConnect.Tests.Infrastructure;

/// <summary>JSON as the API speaks it (camelCase, snake_case enums).</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(Options))!;

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(Options);

    public static StringContent Body(object value) =>
        new(JsonSerializer.Serialize(value, Options), System.Text.Encoding.UTF8, "application/json");

    public static StringContent Raw(string json, string contentType = "application/json") =>
        new(json, System.Text.Encoding.UTF8, contentType);
}
