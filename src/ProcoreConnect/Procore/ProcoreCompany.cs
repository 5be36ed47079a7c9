using System.Text.Json;

namespace ProcoreConnect.Procore;

/// <summary>A company as <c>/rest/v1.0/companies</c> lists it.</summary>
public sealed record ProcoreCompany(long Id, string? Name, bool IsActive = true);

/// <summary>Reads Procore's company lists.</summary>
public static class ProcoreCompanies
{
    /// <summary>The companies of a <c>/rest/v1.0/companies</c> answer; entries without a numeric id are skipped.</summary>
    public static IReadOnlyList<ProcoreCompany> Parse(JsonElement? body) =>
        body is { ValueKind: JsonValueKind.Array } array
            ? [.. array.EnumerateArray()
                .Where(c => c.ValueKind == JsonValueKind.Object && c.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out _))
                .Select(c => new ProcoreCompany(
                    c.GetProperty("id").GetInt64(),
                    c.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null,
                    !c.TryGetProperty("is_active", out var a) || a.ValueKind != JsonValueKind.False))]
            : [];
}
