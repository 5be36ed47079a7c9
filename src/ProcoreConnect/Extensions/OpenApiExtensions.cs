using Microsoft.OpenApi;
using ProcoreConnect.OpenApi;

namespace ProcoreConnect.Extensions;

/// <summary>The OpenAPI document, generated from the endpoints (Microsoft.AspNetCore.OpenApi) on its first request.</summary>
public static class OpenApiExtensions
{
    /// <summary>Registers the document, its transformers and the cache that serves it.</summary>
    public static IServiceCollection AddConnectOpenApi(this IServiceCollection services)
    {
        services.AddSingleton<ApiDocument>();
        services.AddOpenApi(ApiDocument.Name, options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            // Every endpoint but those that say otherwise (ExcludeFromDescription): the timers' and
            // queues' invocation paths (only the Functions host calls them), the host's readiness
            // probe, and the documentation's own functions.
            options.AddDocumentTransformer<ApiDocumentTransformer>();
            options.AddOperationTransformer<ApiOperationTransformer>();
            options.AddSchemaTransformer<WireSchemaTransformer>();
            options.AddDocumentTransformer<EventWebhooksTransformer>();
            options.AddDocumentTransformer<ReservedPathParameters>();
        });
        return services;
    }
}
