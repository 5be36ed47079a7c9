using System.Reflection;

namespace ProcoreConnect.Common;

/// <summary>
/// Declares the values a string field takes on the wire, so the API document lists them as an enum:
/// an enum's wire names (<see cref="WireName"/>), or the public string constants of a class (event
/// types). The field stays a string so that a validator can name a wrong value in its own words.
/// </summary>
/// <param name="source">An enum type, or a class whose public string constants are the values.</param>
[AttributeUsage(AttributeTargets.Property)]
public sealed class WireValuesAttribute(Type source) : Attribute
{
    /// <summary>Where the values come from.</summary>
    public Type Source { get; } = source;

    /// <summary>The values, in declaration order.</summary>
    public IReadOnlyList<string> Values => Source.IsEnum
        ? [.. Enum.GetNames(Source).Select(System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName)]
        : [.. Source.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)];
}
