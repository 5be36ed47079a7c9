using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ProcoreConnect.OpenApi;

/// <summary>
/// The OpenAPI document as served. Generated on its first request, never at start-up (a cold
/// start must not pay for describing the API), then kept: the endpoints cannot change while the
/// app runs, and nothing in the document comes from the request.
/// </summary>
public sealed class ApiDocument(IServiceProvider services)
{
    /// <summary>The document's name in Microsoft.AspNetCore.OpenApi.</summary>
    public const string Name = "v1";

    private byte[]? _json;

    /// <summary>Whether the document has been generated yet.</summary>
    public bool IsGenerated => _json is not null;

    /// <summary>The document as OpenAPI 3.1 JSON.</summary>
    public async Task<byte[]> GetJsonAsync(CancellationToken cancellationToken)
    {
        // Two first requests at once may both generate it; they produce the same bytes.
        return _json ??= await GenerateAsync(cancellationToken);
    }

    private async Task<byte[]> GenerateAsync(CancellationToken cancellationToken)
    {
        var document = await services.GetRequiredKeyedService<IOpenApiDocumentProvider>(Name).GetOpenApiDocumentAsync(cancellationToken);
        using var stream = new MemoryStream();
        await document.SerializeAsJsonAsync(stream, OpenApiSpecVersion.OpenApi3_1, cancellationToken);
        return stream.ToArray();
    }
}
