using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using ProcoreConnect.Hosting;
using ProcoreConnect.Security;

namespace ProcoreConnect.OpenApi;

/// <summary>
/// The document-wide parts: what the API is, where it is reached, how callers authenticate, and
/// the tags in reading order.
/// </summary>
internal sealed class ApiDocumentTransformer(IOptions<PublicUrlOptions> publicUrls, IOptions<AuthOptions> auth) : IOpenApiDocumentTransformer
{
    /// <summary>The API key scheme's name in the document.</summary>
    public const string ApiKeyScheme = "ApiKey";

    /// <summary>The Entra ID bearer scheme's name in the document.</summary>
    public const string BearerScheme = "EntraBearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Procore Connect",
            Version = "1",
            Description = """
                Connects partner platforms' customer workspaces to Procore and keeps their OAuth credentials alive.

                Callers authenticate with an API key (`X-Api-Key: pck_…`, or `Authorization: ApiKey pck_…`) or a Microsoft Entra ID
                bearer token; every operation says which role it needs. Workspaces and OAuth clients belong to the partner that
                created them: another partner's answers `404`, exactly like a missing one.

                Errors are RFC 7807 problem details (`application/problem+json`); a `400` names every invalid field under `errors`.
                Send JSON bodies with `Content-Type: application/json` and a `Content-Length`: the Functions host does not forward a
                chunked body. A query parameter sent twice arrives as one value joined by a comma, and is refused.
                """,
        };

        // Every URL the service hands out comes from its configured public base URL, never from the
        // request (behind the Functions host a request arrives as http on loopback); so does this one.
        document.Servers = [new OpenApiServer { Url = publicUrls.Value.PublicBaseUrl.AbsoluteUri.TrimEnd('/'), Description = "This deployment" }];

        var entra = auth.Value.Entra;
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [ApiKeyScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthenticationHandler.Header,
                Description = "A partner key (`POST /api/partners/{partnerId}/keys`) or the bootstrap admin key. "
                    + "`Authorization: ApiKey pck_…` is accepted as well. On the reference page, replace the placeholder `"
                    + ApiDocsEndpoints.PlaceholderKey + "` with your key.",
            },
            [BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = $"A Microsoft Entra ID access token for this API's audience; app role `{entra.PartnerRole}` makes the calling "
                    + $"application a partner, `{entra.AdminRole}` an admin. Accepted only where `Auth:Entra:Authority` is configured.",
            },
        };

        document.Tags = new HashSet<OpenApiTag>(ApiTags.All.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
        return Task.CompletedTask;
    }
}
