using System.Net;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using ProcoreConnect.Hosting;
using ProcoreConnect.OpenApi;
using ProcoreConnect.Security;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.OpenApi;

/// <summary>
/// The OpenAPI document at /api/openapi.json: generated from the endpoints, it describes every HTTP
/// function (but the documentation's own) and nothing else, each as its endpoint declares it, and is
/// valid OpenAPI 3.1.
/// </summary>
public sealed class OpenApiDocumentTests(AppFactory app) : IClassFixture<AppFactory>
{

    [Fact]
    public async Task The_document_is_valid_OpenAPI_3_1()
    {
        var json = await app.AnonymousClient().GetStringAsync(new Uri("/api/openapi.json", UriKind.Relative));

        var result = OpenApiDocument.Parse(json, OpenApiConstants.Json);
        Assert.Empty(result.Diagnostic!.Errors);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, result.Diagnostic.SpecificationVersion);
        // Parsing alone lets a $ref to a missing schema pass; the rule set catches it.
        var errors = result.Document!.Validate(ValidationRuleSet.GetDefaultRuleSet())?.ToList() ?? [];
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors.Select(e => $"{e.Pointer}: {e.Message}")));
    }

    [Fact]
    public async Task The_document_lists_every_HTTP_function_and_nothing_else()
    {
        var document = await ReadAsync();

        var listed = document.Paths.SelectMany(p => p.Value.Operations!.Select(o => $"{o.Key.Method} {p.Key} {o.Value.OperationId}")).Order();
        var functions = Described().Select(d => $"{d.Function.Methods.Single()} {DocumentPath(d.Function)} {d.Function.Name}").Order();
        Assert.Equal(functions, listed);

        // The documentation's own functions are left out of it, yet are functions: in Azure the host
        // forwards only the routes of functions.
        var left = FunctionDefinition.In(Endpoints()).Where(f => f.Trigger == FunctionTrigger.Http).Select(f => f.Name).Except(Described().Select(d => d.Function.Name));
        Assert.Equal([ApiDocsEndpoints.ReferenceFunction, ApiDocsEndpoints.DocumentFunction], left.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Exactly_the_rate_limited_operations_document_429_with_Retry_After()
    {
        var document = await ReadAsync();

        var operations = document.Paths.SelectMany(p => p.Value.Operations!.Values).ToList();
        var with429 = operations.Where(o => o.Responses!.ContainsKey("429")).Select(o => o.OperationId).Order();
        // A pass-through to Procore answers Procore's rate limit, not the service's own.
        var limited = Endpoints().Where(e => e.Metadata.GetMetadata<RateLimited>() is not null || e.Metadata.GetMetadata<ProcoreConnect.ProcoreCalls.ProcorePassThrough>() is not null).Select(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName);
        Assert.Equal(limited.Order(), with429);
        Assert.All(operations.Where(o => o.Responses!.ContainsKey("429")), o => Assert.Contains("Retry-After", o.Responses!["429"].Headers!.Keys));
    }

    [Fact]
    public void Every_HTTP_endpoint_declares_its_name_summary_tag_and_answers()
    {
        // Under /api, every endpoint the document does not leave out (the documentation's own, and
        // the reference page's scripts, which are no functions of their own).
        var http = Endpoints().Where(e => e.Metadata.GetMetadata<FunctionBinding>() is { Trigger: FunctionTrigger.Http } && !Excluded(e)).ToList();
        foreach (var endpoint in http)
        {
            var name = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
            var where = $"{endpoint.DisplayName}: declare it in its feature's Map method with";
            Assert.True(!string.IsNullOrWhiteSpace(name), $"{where} .WithName(\"TheFunctionName\")");
            Assert.True(!string.IsNullOrWhiteSpace(endpoint.Metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary), $"{where} .WithSummary(…)");
            var tags = endpoint.Metadata.GetOrderedMetadata<ITagsMetadata>().SelectMany(t => t.Tags).ToList();
            Assert.True(tags.Count == 1 && ApiTags.All.Any(t => t.Name == tags[0]), $"{where} .WithTags(one of ApiTags)");
            Assert.True(ResponsesOf(endpoint).Count > 0, $"{where} .WithResponses(…)");
        }

        Assert.Equal(Described().Count, http.Count);
    }

    [Fact]
    public async Task Each_operation_says_what_its_endpoint_declares_and_names_every_parameter_of_its_path()
    {
        var document = await ReadAsync();

        foreach (var (function, endpoint) in Described())
        {
            var operation = OperationOf(document, function);
            // The declaration's summary, not the handler's /// comment, which is written for the code's readers.
            Assert.Equal(endpoint.Metadata.GetMetadata<IEndpointSummaryMetadata>()!.Summary, operation.Summary);
            Assert.Equal(endpoint.Metadata.GetOrderedMetadata<ITagsMetadata>().SelectMany(t => t.Tags), operation.Tags!.Select(t => t.Name));
            // Also a route value the handler reads through a bound type (a workspace's id), and one the
            // path itself declares for all its operations (the pass-through's, which keeps its slashes).
            var path = (operation.Parameters ?? []).Concat(document.Paths[DocumentPath(function)].Parameters ?? []).Where(p => p.In == ParameterLocation.Path).ToList();
            Assert.Equal(endpoint.RoutePattern.Parameters.Select(p => p.Name), path.Select(p => p.Name));
            Assert.All(path.Where(p => endpoint.RoutePattern.GetParameter(p.Name!)!.IsCatchAll), p => Assert.True(
                p.Extensions?.ContainsKey("x-ms-reserved-parameter") == true, $"{function.Name}: the catch-all {p.Name} must be a reserved expansion, or generators encode its slashes"));
            Assert.All(path, p => Assert.True(p.Required, $"{function.Name} {p.Name}"));
            Assert.All(path.Where(p => p.Name == "id"), p => Assert.Equal(ApiParameters.Descriptions["id"], p.Description));
        }
    }

    [Fact]
    public async Task Every_operation_states_who_may_call_it()
    {
        var document = await ReadAsync();

        var apiKey = document.Components!.SecuritySchemes!["ApiKey"];
        Assert.Equal((SecuritySchemeType.ApiKey, ParameterLocation.Header, "X-Api-Key"), (apiKey.Type!.Value, apiKey.In!.Value, apiKey.Name));
        var bearer = document.Components.SecuritySchemes["EntraBearer"];
        Assert.Equal((SecuritySchemeType.Http, "bearer", "JWT"), (bearer.Type!.Value, bearer.Scheme, bearer.BearerFormat));
        foreach (var (function, _) in Described())
        {
            var operation = OperationOf(document, function);
            var schemes = (operation.Security ?? []).Select(r => string.Join("+", r.Keys.Select(k => k.Reference.Id))).ToList();
            if (function.Policy is null)
            {
                Assert.True(schemes.Count == 0, $"{function.Name} is anonymous");
            }
            else
            {
                // Either scheme alone: two requirements, not one demanding both.
                Assert.Equal(["ApiKey", "EntraBearer"], schemes);
                Assert.Contains("401", operation.Responses!.Keys);
                Assert.Contains("403", operation.Responses.Keys);
            }
        }
    }

    [Fact]
    public async Task Request_bodies_are_described_with_their_required_fields_and_an_example_that_has_them()
    {
        var document = await ReadAsync();

        foreach (var (function, endpoint) in Described())
        {
            var operation = OperationOf(document, function);
            if (RequestOf(endpoint) is not { } request)
            {
                Assert.True(operation.RequestBody is null, $"{function.Name} reads no body");
                continue;
            }

            var body = operation.RequestBody!.Content![request.ContentType];
            Assert.True(body.Example is not null, $"{function.Name}: request example");
            Assert.Equal(!request.Optional, operation.RequestBody.Required);
            Assert.Equal(request.RequiredFields.Order(), (body.Schema!.Required ?? new HashSet<string>()).Order());
            foreach (var field in request.RequiredFields)
            {
                Assert.True(body.Schema.Properties!.ContainsKey(field), $"{function.Name}: {field} is no field of the body");
                Assert.True(body.Example!.AsObject().ContainsKey(field), $"{function.Name}: the example lacks {field}");
            }
        }
    }

    [Fact]
    public async Task Every_response_is_described_every_error_is_a_problem_and_successes_have_examples()
    {
        var document = await ReadAsync();

        foreach (var (function, endpoint) in Described())
        {
            foreach (var (status, response) in OperationOf(document, function).Responses!)
            {
                var where = $"{function.Name} {status}";
                Assert.False(string.IsNullOrWhiteSpace(response.Description), where);
                var content = response.Content ?? new Dictionary<string, OpenApiMediaType>();
                var code = int.Parse(status, System.Globalization.CultureInfo.InvariantCulture);
                if (code >= 400)
                {
                    // Problem details, unless the description says otherwise (the OAuth callback's page
                    // for a person's browser, the health report a probe reads).
                    var declared = ResponsesOf(endpoint)
                        .Where(r => r.Status == code && r.ContentType is not (null or ResponseDoc.ProblemContentType) && (r.Body ?? r.Example) is not null)
                        .Select(r => r.ContentType).ToList();
                    Assert.True(declared.Count > 0 ? declared.All(t => content.ContainsKey(t!)) : content.ContainsKey(ResponseDoc.ProblemContentType), where);
                }

                foreach (var (mediaType, media) in content.Where(c => c.Key.EndsWith("json", StringComparison.Ordinal)))
                {
                    Assert.True(media.Schema is not null, $"{where} {mediaType}: schema");
                    var examples = media.Example is { } one ? [one] : (media.Examples ?? new Dictionary<string, IOpenApiExample>()).Values.Select(e => e.Value!).ToList();
                    Assert.True(examples.Count > 0 || status == "401" || status == "403" || mediaType == "application/problem+json" && status == "404", $"{where} {mediaType}: example");
                    foreach (var example in examples.Where(_ => mediaType == "application/json"))
                    {
                        AssertFieldsExist(media.Schema, example, where);
                    }
                }
            }
        }
    }

    [Fact]
    public async Task Query_values_are_typed_as_the_wire_carries_them_not_as_strings()
    {
        var document = await ReadAsync();

        var query = document.Paths.SelectMany(p => p.Value.Operations!.Values)
            .SelectMany(o => (o.Parameters ?? []).Where(q => q.In == ParameterLocation.Query).Select(q => (o.OperationId, Parameter: q))).ToList();
        Assert.All(query.Where(q => q.Parameter.Name == "pageSize"), q => Assert.Equal((JsonSchemaType.Integer, "int32"), (q.Parameter.Schema!.Type!.Value, q.Parameter.Schema.Format)));
        Assert.All(query.Where(q => q.Parameter.Name == "companyId"), q => Assert.Equal((JsonSchemaType.Integer, "int64"), (q.Parameter.Schema!.Type!.Value, q.Parameter.Schema.Format)));
        Assert.All(query.Where(q => q.Parameter.Name == "environment"), q => Assert.Equal("ProcoreEnvironment", ((OpenApiSchemaReference)q.Parameter.Schema!).Reference.Id));
        Assert.Contains(query, q => q.OperationId == "ListWorkspaces" && q.Parameter.Name == "pageSize");
        Assert.Contains(query, q => q.OperationId == "ListInstalledCompanies" && q.Parameter.Name == "companyId");
    }

    [Fact]
    public async Task Enums_are_string_enums_and_request_fields_refer_to_the_same_named_schemas()
    {
        var document = await ReadAsync();
        var schemas = document.Components!.Schemas!;

        var enums = schemas.Where(s => s.Value.Enum is { Count: > 0 }).ToList();
        Assert.Contains(enums, e => e.Key == "WorkspaceStatus");
        Assert.All(enums, e => Assert.True(e.Value.Type == JsonSchemaType.String, $"{e.Key} is an enum of type {e.Value.Type}"));
        Assert.Equal(["production", "sandbox", "monthly", "federal"], schemas["ProcoreEnvironment"].Enum!.Select(v => v.GetValue<string>()));

        Assert.Equal("ProcoreEnvironment", RefOf(schemas["ConnectionRequest"].Properties!["environment"]));
        Assert.Equal("ProcoreEnvironment", RefOf(schemas["CreateCompanyWorkspacesRequest"].Properties!["environment"]));
        Assert.Equal("AuthFlow", RefOf(schemas["OAuthClientRequest"].Properties!["authFlow"]));
        Assert.Equal("AuthFlow", RefOf(schemas["ConnectionResponse"].Properties!["authFlow"]));
        Assert.Equal("CompanyWorkspaceOutcome", RefOf(schemas["CompanyWorkspaceResult"].Properties!["outcome"]));
        // Event types: the constants partners receive, whatever they grow to.
        var eventTypes = typeof(ProcoreConnect.Events.EventTypes).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);
        Assert.Equal(eventTypes, schemas["EventRecord"].Properties!["type"].Enum!.Select(v => v.GetValue<string>()));
        // Statuses: an event's delivery and the health report's.
        Assert.Equal(["pending", "delivered", "failed", "not_sent"], schemas["EventRecord"].Properties!["status"].Enum!.Select(v => v.GetValue<string>()));
        Assert.Equal(["unhealthy", "degraded", "healthy"], schemas["HealthResponse"].Properties!["status"].Enum!.Select(v => v.GetValue<string>()));
        var check = schemas["HealthResponse"].Properties!["checks"].AdditionalProperties!;
        check = check is OpenApiSchemaReference reference ? schemas[reference.Reference.Id!] : check;
        Assert.Equal(["unhealthy", "degraded", "healthy"], check.Properties!["status"].Enum!.Select(v => v.GetValue<string>()));
    }

    [Fact]
    public async Task The_tag_filter_is_a_documented_parameter_of_the_list_that_describes_its_wire_form()
    {
        var document = await ReadAsync();
        var list = document.Paths["/api/workspaces"].Operations![HttpMethod.Get];

        var tag = Assert.Single(list.Parameters!, p => p.Name == "tag");
        Assert.Equal(ParameterLocation.Query, tag.In);
        // Form-exploded: each property goes on the query as its own name=value, the prefix in the name.
        Assert.Equal((ParameterStyle.Form, true), (tag.Style!.Value, tag.Explode));
        Assert.Equal(JsonSchemaType.Object, tag.Schema!.Type);
        Assert.Equal(ProcoreConnect.Workspaces.WorkspaceTags.MaxFilters, tag.Schema.MaxProperties);
        Assert.Equal(JsonSchemaType.String, tag.Schema.AdditionalProperties!.Type);
        var names = new System.Text.RegularExpressions.Regex(((OpenApiSchema)tag.Schema).PropertyNames!.Pattern!);
        Assert.Matches(names, "tag.region");
        Assert.DoesNotMatch(names, "tags.region");
        Assert.DoesNotMatch(names, "region");
        Assert.Contains("tag.", tag.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_handler_that_answers_a_problem_documents_its_statuses()
    {
        // A ProblemHttpResult in a handler's Results<…> adds nothing to the endpoint metadata (its
        // status is known at run time only): the description must list the problems itself.
        foreach (var (function, endpoint) in Described().Where(d => AnswersProblems(d.Endpoint.Metadata.GetMetadata<MethodInfo>()!.ReturnType)))
        {
            Assert.True(ResponsesOf(endpoint).Any(r => r.Body == typeof(ProblemDetails)), $"{function.Name} answers problems its description does not list");
        }
    }

    [Fact]
    public async Task The_document_is_generated_on_its_first_request_not_at_start_up_and_names_the_public_base_URL()
    {
        await using var fresh = AppFactory.With(new Dictionary<string, string?> { ["Service:PublicBaseUrl"] = "https://connect.example.com/" });
        var client = fresh.AnonymousClient();
        await client.GetAsync(new Uri("/api/health", UriKind.Relative));
        Assert.False(fresh.Service<ApiDocument>().IsGenerated);

        var response = await client.GetAsync(new Uri("/api/openapi.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.True(fresh.Service<ApiDocument>().IsGenerated);
        var document = OpenApiDocument.Parse(await response.Content.ReadAsStringAsync(), OpenApiConstants.Json).Document!;
        Assert.Equal(["https://connect.example.com"], document.Servers!.Select(s => s.Url));
    }

    [Fact]
    public async Task The_reference_page_is_served_anonymously_from_the_app_alone()
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Remove(ProcoreConnect.Security.ApiKeyAuthenticationHandler.Header);

        var bare = await client.GetAsync(new Uri("/api/reference", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, bare.StatusCode);
        Assert.Equal("reference/", bare.Headers.Location!.OriginalString);

        var page = await client.GetAsync(new Uri("/api/reference/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("src=\"scalar.js\"", html, StringComparison.Ordinal);
        Assert.Contains("\"url\":\"api/openapi.json\"", html, StringComparison.Ordinal);
        // Scalar's defaults load fonts from fonts.scalar.com and report telemetry: both off.
        Assert.Contains("\"withDefaultFonts\":false", html, StringComparison.Ordinal);
        Assert.Contains("\"telemetry\":false", html, StringComparison.Ordinal);
        // The request client's key is plainly a placeholder, not Scalar's random-looking default.
        Assert.Contains(ApiDocsEndpoints.PlaceholderKey, html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"http", html, StringComparison.Ordinal);

        foreach (var script in new[] { "scalar.js", "scalar.aspnetcore.js" })
        {
            var response = await client.GetAsync(new Uri("/api/reference/" + script, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/javascript", response.Content.Headers.ContentType!.MediaType);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }
    }

    [Fact]
    public async Task The_reference_page_sends_a_strict_content_security_policy_nosniff_and_no_referrer()
    {
        var page = await app.AnonymousClient().GetAsync(new Uri("/api/reference/", UriKind.Relative));
        var html = await page.Content.ReadAsStringAsync();

        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        var directives = policy.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d.Split(' ')[1..]);
        Assert.Equal(["'none'"], directives["frame-ancestors"]);
        Assert.Equal(["'none'"], directives["default-src"]);
        Assert.Equal(["'none'"], directives["base-uri"]);
        Assert.Equal(["'none'"], directives["form-action"]);
        Assert.Equal(["'self'"], directives["connect-src"]);
        // Scripts: the service's files and the page's one inline script, by this response's nonce; never inline code or eval.
        var nonce = System.Text.RegularExpressions.Regex.Match(html, "<script type=\"module\" nonce=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(nonce);
        Assert.Equal(["'self'", $"'nonce-{nonce}'"], directives["script-src"]);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        // A nonce is used once: the next page has another.
        var again = await app.AnonymousClient().GetAsync(new Uri("/api/reference/", UriKind.Relative));
        Assert.DoesNotContain(nonce, again.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    private static string? RefOf(IOpenApiSchema schema) => (schema as OpenApiSchemaReference)?.Reference.Id;

    private IReadOnlyList<RouteEndpoint> Endpoints()
    {
        app.CreateClient();
        return [.. app.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()];
    }

    // The operations the document describes: every HTTP function but those its endpoint leaves out.
    private IReadOnlyList<(FunctionDefinition Function, RouteEndpoint Endpoint)> Described() =>
    [
        .. from endpoint in Endpoints()
           let function = FunctionDefinition.In([endpoint]).SingleOrDefault()
           where function is { Trigger: FunctionTrigger.Http } && !Excluded(endpoint)
           select (function, endpoint),
    ];

    private static bool Excluded(Endpoint endpoint) => endpoint.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is { ExcludeFromDescription: true };

    private static RequestDoc? RequestOf(Endpoint endpoint) => endpoint.Metadata.OfType<OperationDoc>().LastOrDefault(d => d.Request is not null)?.Request!();

    private static IReadOnlyList<ResponseDoc> ResponsesOf(Endpoint endpoint) => [.. endpoint.Metadata.OfType<OperationDoc>().SelectMany(d => d.Responses?.Invoke() ?? [])];

    private async Task<OpenApiDocument> ReadAsync()
    {
        var json = await app.AnonymousClient().GetStringAsync(new Uri("/api/openapi.json", UriKind.Relative));
        return OpenApiDocument.Parse(json, OpenApiConstants.Json).Document!;
    }

    private static OpenApiOperation OperationOf(OpenApiDocument document, FunctionDefinition function) =>
        document.Paths[DocumentPath(function)].Operations![new HttpMethod(function.Methods.Single())];

    // A catch-all route parameter ({**path}) is a plain path parameter in the document.
    private static string DocumentPath(FunctionDefinition function) => "/api/" + function.Route!.Replace("{**", "{", StringComparison.Ordinal);

    private static bool AnswersProblems(Type type)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>))
        {
            type = type.GetGenericArguments()[0];
        }

        return type == typeof(ProblemHttpResult) || (type.IsGenericType && type.GetGenericArguments().Contains(typeof(ProblemHttpResult)));
    }

    // An example names only fields its schema has (the examples are records of the service's own,
    // serialized with its JSON options: this catches the document and the wire drifting apart).
    private static void AssertFieldsExist(IOpenApiSchema schema, JsonNode example, string where)
    {
        if (example is JsonArray items && schema.Items is { } itemSchema)
        {
            foreach (var item in items)
            {
                AssertFieldsExist(itemSchema, item!, where);
            }
        }
        else if (example is JsonObject fields && schema.Properties is { Count: > 0 } properties)
        {
            foreach (var (name, value) in fields)
            {
                Assert.True(properties.TryGetValue(name, out var property), $"{where}: the example's '{name}' is no field of the schema");
                if (value is not null)
                {
                    AssertFieldsExist(property, value, where);
                }
            }
        }
    }
}
