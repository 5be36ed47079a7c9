using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using ProcoreConnect.Security;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace ProcoreConnect.OpenApi;

/// <summary>
/// Applies what each endpoint declares beyond its summary, description and tags (its
/// <see cref="OperationDoc"/>s and <see cref="RateLimited"/> budget) to its operation, and what the
/// endpoint metadata says about access: the security requirements of its policy, with the 401 and
/// 403 that go with it.
/// Every error answer is a problem details body (UseStatusCodePages fills the empty ones).
/// </summary>
internal sealed class ApiOperationTransformer(IOptions<JsonOptions> json, IOptions<AuthOptions> auth) : IOpenApiOperationTransformer
{
    // Responses as the service writes them; requests as a caller would send them, leaving out what it has no value for.
    private readonly JsonSerializerOptions _responses = json.Value.SerializerOptions;
    private readonly JsonSerializerOptions _requests = new(json.Value.SerializerOptions) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var docs = metadata.OfType<OperationDoc>().ToList();
        // The declaration's words, not the handler's /// comment (which the XML comment transformer
        // put there before this one runs): the comment is written for the code's readers.
        operation.Summary = metadata.OfType<IEndpointSummaryMetadata>().LastOrDefault()?.Summary;
        operation.Description = metadata.OfType<IEndpointDescriptionMetadata>().LastOrDefault()?.Description;
        AddPathParameters(operation, context.Description.RelativePath!);
        operation.Responses ??= [];
        if (docs.LastOrDefault(d => d.Request is not null)?.Request is { } request)
        {
            operation.RequestBody = await RequestBodyAsync(request(), context, cancellationToken);
        }

        var ifMatch = docs.Any(d => d.IfMatch);
        if (ifMatch)
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "If-Match",
                In = ParameterLocation.Header,
                Description = "The `ETag` of the version read: the write applies only to it (`412` otherwise). Without it the write is still "
                    + "conditional on the version the service read, so a concurrent writer gets `409` instead of being overwritten.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }

        await DescribeResponsesAsync(operation, [.. docs.SelectMany(d => d.Responses?.Invoke() ?? []), .. Preconditions(ifMatch)], context, cancellationToken);
        if (docs.Any(d => d.ETag))
        {
            foreach (var (_, response) in operation.Responses.Where(r => r.Key is "200" or "201"))
            {
                AddHeader((OpenApiResponse)response, "ETag", "The version answered, for `If-Match`.");
            }
        }

        if (metadata.OfType<RateLimited>().LastOrDefault() is { } limited)
        {
            await DescribeResponsesAsync(operation,
            [
                ResponseDoc.Problem(
                    TypedResults.Problem(
                        $"{limited.Budget}; retry after 42 s. Nothing of this request was done.",
                        statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests"),
                    "Over the limit of such calls (" + limited.Terms)
                    with { Header = ("Retry-After", "Seconds until the window allows another call.") },
            ], context, cancellationToken);
        }

        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            parameter.Description ??= ApiParameters.Descriptions.GetValueOrDefault(parameter.Name!);
            if (parameter.In == ParameterLocation.Query && ApiParameters.ValueTypes.TryGetValue(parameter.Name!, out var valueType))
            {
                parameter.Schema = await ValueSchemaAsync(valueType, context, cancellationToken);
            }
        }

        foreach (var reserved in metadata.OfType<ReservedPathParameter>())
        {
            MarkSlashesKept(operation, reserved);
        }

        foreach (var family in metadata.OfType<Http.QueryFamily>())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(FamilyParameter(family));
        }

        var policies = metadata.OfType<IAllowAnonymous>().Any() ? [] : metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>().ToList();
        if (policies.Count > 0)
        {
            await RequireCallerAsync(operation, policies, context, cancellationToken);
        }

        await ProblemBodiesAsync(operation, context, cancellationToken);
    }

    // A route value a handler reads through a bound type (a workspace's, for one) is no parameter
    // of its signature, yet one of the path, listed first as the signature's would be.
    private static void AddPathParameters(OpenApiOperation operation, string path)
    {
        var missing = RoutePatternFactory.Parse(path).Parameters
            .Where(p => operation.Parameters?.Any(o => o.In == ParameterLocation.Path && o.Name == p.Name) != true)
            .Select(p => new OpenApiParameter { Name = p.Name, In = ParameterLocation.Path, Required = true, Schema = new OpenApiSchema { Type = JsonSchemaType.String } })
            .ToList();
        if (missing.Count > 0)
        {
            operation.Parameters = [.. missing, .. operation.Parameters ?? []];
        }
    }

    // A path parameter whose slashes a generator would percent-encode by default (and the proxy
    // refuses encoded slashes): Kiota's extension makes it a reserved expansion.
    private static void MarkSlashesKept(OpenApiOperation operation, ReservedPathParameter reserved)
    {
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>().Where(p => p.In == ParameterLocation.Path && p.Name == reserved.Name))
        {
            parameter.Description = reserved.Description;
            parameter.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            parameter.Extensions[ReservedPathParameter.Extension] = new JsonNodeExtension(JsonValue.Create(true));
        }
    }

    // Where the schema generator would say "string" (a value the handler parses itself): the type on the wire.
    // An enum is its own named schema, the one the responses refer to, so a generator makes one type of it.
    private static async Task<IOpenApiSchema> ValueSchemaAsync(Type type, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var schema = await context.GetOrCreateSchemaAsync(type, null, cancellationToken);
        if (!type.IsEnum)
        {
            return schema;
        }

        var document = context.Document!;
        if (document.Components?.Schemas?.ContainsKey(type.Name) is not true)
        {
            document.AddComponent(type.Name, schema);
        }

        return new OpenApiSchemaReference(type.Name, document);
    }

    // A family of parameters named by the caller's keys (tag.region=west&tag.tier=gold): in OpenAPI, one
    // object parameter serialized form-exploded, which puts each property on the query as name=value,
    // exactly the wire form; the property names carry the prefix. deepObject would send tag[region]=west.
    private static OpenApiParameter FamilyParameter(Http.QueryFamily family) => new()
    {
        Name = family.Name,
        In = ParameterLocation.Query,
        Style = ParameterStyle.Form,
        Explode = true,
        Description = family.Description,
        Schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            PropertyNames = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Pattern = "^" + System.Text.RegularExpressions.Regex.Escape(family.Prefix) + family.SuffixPattern.TrimStart('^'),
            },
            AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1 },
            MaxProperties = family.MaxCount,
        },
        Example = new JsonObject { [family.Prefix + "region"] = "west" },
    };

    private static IEnumerable<ResponseDoc> Preconditions(bool ifMatch) => ifMatch
        ? [ResponseDoc.Problem(Http.Problems.PreconditionFailed("If-Match does not match the current ETag."), "`If-Match` no longer matches: read again and retry.")]
        : [];

    private async Task<OpenApiRequestBody> RequestBodyAsync(RequestDoc request, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        // A string field declared with an enum's wire values refers to that enum's schema, as the answers do.
        var enumFields = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        foreach (var property in request.Type.GetProperties())
        {
            if (property.GetCustomAttributes(typeof(Common.WireValuesAttribute), inherit: false) is [Common.WireValuesAttribute { Source.IsEnum: true } values, ..])
            {
                var name = property.GetCustomAttributes(typeof(JsonPropertyNameAttribute), inherit: false) is [JsonPropertyNameAttribute named, ..]
                    ? named.Name
                    : _requests.PropertyNamingPolicy?.ConvertName(property.Name) ?? property.Name;
                enumFields[name] = await ValueSchemaAsync(values.Source, context, cancellationToken);
            }
        }

        var schema = await ComponentAsync(request.Type, context, cancellationToken, component =>
        {
            // The records are all nullable so that the handler can name each missing field; the
            // document says what a valid body is: the required fields, not null, nothing else.
            component.Required = new HashSet<string>(request.RequiredFields, StringComparer.Ordinal);
            foreach (var field in request.RequiredFields)
            {
                if (component.Properties is { } properties && properties.TryGetValue(field, out var found) && found is OpenApiSchema property)
                {
                    property.Type &= ~JsonSchemaType.Null;
                }
            }

            foreach (var (field, reference) in enumFields)
            {
                if (component.Properties?.TryGetValue(field, out var inline) is true)
                {
                    component.Properties[field] = reference is OpenApiSchemaReference r ? new OpenApiSchemaReference(r.Reference.Id!, context.Document) { Description = inline.Description } : reference;
                }
            }

            component.AdditionalPropertiesAllowed = false;
            // The record's own summary is written for the code's readers; the operation says what the body is for.
            component.Description = null;
        });
        return new OpenApiRequestBody
        {
            Required = !request.Optional,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [request.ContentType] = new OpenApiMediaType { Schema = schema, Example = Example(request.Example, _requests) },
            },
        };
    }

    private async Task DescribeResponsesAsync(
        OpenApiOperation operation, IReadOnlyList<ResponseDoc> docs, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var group in docs.GroupBy(d => d.Status))
        {
            var key = group.Key.ToString(CultureInfo.InvariantCulture);
            if (!operation.Responses!.TryGetValue(key, out var existing) || existing is not OpenApiResponse response)
            {
                response = new OpenApiResponse();
                operation.Responses[key] = response;
            }

            var all = group.ToList();
            response.Description = all.Count == 1 ? all[0].Description : string.Join("\n", all.Select(d => "- " + d.Description));
            var named = all.Count(d => d.Example is not null) > 1;
            foreach (var doc in all)
            {
                if (doc.Header is var (name, description))
                {
                    AddHeader(response, name, description);
                }

                if (doc.ContentType is not { } contentType || (doc.Body is null && doc.Example is null))
                {
                    continue;
                }

                response.Content ??= new Dictionary<string, OpenApiMediaType>();
                if (!response.Content.TryGetValue(contentType, out var media))
                {
                    media = new OpenApiMediaType();
                    response.Content[contentType] = media;
                }

                if (media.Schema is null && doc.Body is { } body)
                {
                    media.Schema = await ComponentAsync(body, context, cancellationToken);
                }

                if (doc.Example is { } example)
                {
                    if (named)
                    {
                        media.Examples ??= new Dictionary<string, IOpenApiExample>();
                        media.Examples[ExampleName(example, media.Examples)] = new OpenApiExample { Summary = doc.Description, Value = Example(example, _responses) };
                    }
                    else
                    {
                        media.Example = Example(example, _responses);
                    }
                }
            }
        }
    }

    private Task RequireCallerAsync(OpenApiOperation operation, IReadOnlyList<string> policies, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        // Either scheme serves: two requirement objects (one object with both would demand both).
        operation.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiDocumentTransformer.ApiKeyScheme, context.Document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiDocumentTransformer.BearerScheme, context.Document)] = [] },
        ];
        var who = string.Join(" or ", policies.Select(Who));
        operation.Description = (operation.Description is null ? "" : operation.Description + "\n\n") + $"**Caller:** {who}.";
        return DescribeResponsesAsync(operation,
        [
            ResponseDoc.Problem(TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized), "No credentials, or an API key or bearer token that is unknown, revoked or invalid."),
            ResponseDoc.Problem(TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden), $"Authenticated, but not as {who}."),
        ], context, cancellationToken);
    }

    private string Who(string policy)
    {
        var entra = auth.Value.Entra;
        return policy switch
        {
            Roles.Partner => $"a partner (a partner API key, or an Entra ID application with the `{entra.PartnerRole}` role)",
            Roles.Admin => $"an admin (the admin API key, or an Entra ID application with the `{entra.AdminRole}` role)",
            Roles.PartnerOrAdmin => $"a partner or an admin (a partner or the admin API key, or an Entra ID application with the `{entra.PartnerRole}` or `{entra.AdminRole}` role)",
            _ => throw new InvalidOperationException($"Policy '{policy}' has no description."),
        };
    }

    // Errors without a body of their own get the problem details UseStatusCodePages writes.
    private static async Task ProblemBodiesAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var (status, response) in operation.Responses!)
        {
            if (int.TryParse(status, CultureInfo.InvariantCulture, out var code) && code >= 400 && response is OpenApiResponse { Content: null or { Count: 0 } } empty)
            {
                empty.Content = new Dictionary<string, OpenApiMediaType>
                {
                    [ResponseDoc.ProblemContentType] = new OpenApiMediaType { Schema = await ComponentAsync(typeof(ProblemDetails), context, cancellationToken) },
                };
            }
        }
    }

    private static void AddHeader(OpenApiResponse response, string name, string description)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        response.Headers[name] = new OpenApiHeader { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
    }

    // An object type becomes a component the document references (once); anything else stays inline.
    private static async Task<IOpenApiSchema> ComponentAsync(
        Type type, OpenApiOperationTransformerContext context, CancellationToken cancellationToken, Action<OpenApiSchema>? adjust = null)
    {
        var document = context.Document!;
        var id = type.Name;
        if (document.Components?.Schemas?.ContainsKey(id) is true)
        {
            return new OpenApiSchemaReference(id, document);
        }

        var schema = await context.GetOrCreateSchemaAsync(type, null, cancellationToken);
        if (schema.Type is not { } kind || !kind.HasFlag(JsonSchemaType.Object))
        {
            return schema;
        }

        adjust?.Invoke(schema);
        document.AddComponent(id, schema);
        return new OpenApiSchemaReference(id, document);
    }

    private static JsonNode? Example(object example, JsonSerializerOptions options) => JsonSerializer.SerializeToNode(example, example.GetType(), options);

    // A problem's example is named by the field it names, or by its title: "invalid-companyId", "needs-reauthorization".
    private static string ExampleName(object example, IDictionary<string, IOpenApiExample> taken)
    {
        var name = example switch
        {
            HttpValidationProblemDetails { Errors.Count: > 0 } invalid => "invalid-" + invalid.Errors.Keys.First(),
            ProblemDetails { Title: { } title } => string.Join('-', title.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries)),
            _ => "example",
        };
        var unique = name;
        for (var n = 2; taken.ContainsKey(unique); n++)
        {
            unique = $"{name}-{n}";
        }

        return unique;
    }
}
