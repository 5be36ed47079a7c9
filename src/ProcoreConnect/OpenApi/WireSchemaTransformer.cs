using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using ProcoreConnect.Common;

namespace ProcoreConnect.OpenApi;

/// <summary>
/// Types the document's values as the wire carries them, for client generators: an enum's schema is
/// a string enum (the generator's default leaves out the type, and generators then make no enum of
/// it), and a string field declared with <see cref="WireValuesAttribute"/> lists its values.
/// </summary>
internal sealed class WireSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (schema.Enum is { Count: > 0 } && schema.Type is null && (Nullable.GetUnderlyingType(type) ?? type).IsEnum)
        {
            schema.Type = JsonSchemaType.String;
        }

        if (context.JsonPropertyInfo?.AttributeProvider is ICustomAttributeProvider attributes
            && attributes.GetCustomAttributes(typeof(WireValuesAttribute), inherit: false) is [WireValuesAttribute values, ..])
        {
            // A field left out means "not given"; null is no value of the list.
            schema.Type = JsonSchemaType.String;
            schema.Enum = [.. values.Values.Select(v => (JsonNode)JsonValue.Create(v))];
        }

        return Task.CompletedTask;
    }
}
