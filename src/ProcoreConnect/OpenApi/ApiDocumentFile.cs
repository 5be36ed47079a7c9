using Microsoft.AspNetCore.Routing;

namespace ProcoreConnect.OpenApi;

/// <summary>
/// Writes the OpenAPI document that <c>GET /api/openapi.json</c> serves to a file, without starting
/// the app (no server, no storage): what <c>scripts/generate-clients.sh</c> generates the client
/// libraries from.
/// </summary>
public static class ApiDocumentFile
{
    /// <summary>Writes the document to <paramref name="path"/> and returns the path.</summary>
    public static async Task<string> WriteAsync(WebApplication app, string path, CancellationToken cancellationToken)
    {
        // The document describes the endpoints routing knows, and routing learns the app's as a
        // started app builds its pipeline. This app never starts, so a pipeline of its own, never
        // run, hands them over (a branch has a routing world of its own, hence the copy).
        var pipeline = ((IApplicationBuilder)app).New();
        pipeline.UseRouting();
        pipeline.UseEndpoints(endpoints =>
        {
            foreach (var dataSource in ((IEndpointRouteBuilder)app).DataSources)
            {
                endpoints.DataSources.Add(dataSource);
            }
        });

        var json = await app.Services.GetRequiredService<ApiDocument>().GetJsonAsync(cancellationToken);
        await File.WriteAllBytesAsync(path, json, cancellationToken);
        return path;
    }
}
