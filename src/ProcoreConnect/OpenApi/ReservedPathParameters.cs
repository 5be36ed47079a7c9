using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ProcoreConnect.OpenApi;

/// <summary>
/// Moves a path parameter marked as a reserved expansion from its path's operations to the path
/// itself: Kiota reads the mark only there, and would otherwise encode the slashes it must keep.
/// </summary>
internal sealed class ReservedPathParameters : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var path in document.Paths.Values.OfType<OpenApiPathItem>())
        {
            if (path.Operations is null)
            {
                continue;
            }

            var reserved = path.Operations.Values.SelectMany(o => o.Parameters ?? []).OfType<OpenApiParameter>()
                .FirstOrDefault(p => p.In == ParameterLocation.Path && p.Extensions?.ContainsKey(ReservedPathParameter.Extension) == true);
            if (reserved is null)
            {
                continue;
            }

            foreach (var operation in path.Operations.Values)
            {
                operation.Parameters = [.. (operation.Parameters ?? []).Where(p => p.In != ParameterLocation.Path || p.Name != reserved.Name)];
            }

            path.Parameters = [.. path.Parameters ?? [], reserved];
        }

        return Task.CompletedTask;
    }
}
