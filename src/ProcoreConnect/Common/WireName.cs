using System.Text.Json;

namespace ProcoreConnect.Common;

/// <summary>
/// The snake_case spelling of enum values used on the wire and in tables, so requests, responses
/// and stored rows all say <c>authorization_code</c>, never <c>AuthorizationCode</c>.
/// </summary>
public static class WireName
{
    /// <summary>The wire spelling of a value.</summary>
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum =>
        JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    /// <summary>Every allowed wire spelling, for error messages.</summary>
    public static IReadOnlyList<string> AllOf<TEnum>() where TEnum : struct, Enum =>
        [.. Enum.GetValues<TEnum>().Select(Of)];

    /// <summary>Parses an exact wire spelling; anything else (including numbers) fails.</summary>
    public static bool TryParse<TEnum>(string? text, out TEnum value) where TEnum : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(Of(candidate), text, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Parses a stored value, failing loudly: a bad stored value is corruption, not input.</summary>
    public static TEnum Parse<TEnum>(string? text) where TEnum : struct, Enum =>
        TryParse<TEnum>(text, out var value)
            ? value
            : throw new InvalidDataException($"'{text}' is not a {typeof(TEnum).Name}.");
}
