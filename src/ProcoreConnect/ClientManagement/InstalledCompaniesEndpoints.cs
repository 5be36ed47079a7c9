using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using ProcoreConnect.Clients;
using ProcoreConnect.Common;
using ProcoreConnect.Http;
using ProcoreConnect.OpenApi;
using ProcoreConnect.Procore;
using ProcoreConnect.Security;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;
using static ProcoreConnect.OpenApi.ResponseDoc;

namespace ProcoreConnect.ClientManagement;

/// <summary>
/// <c>/api/oauth-clients/{name}/companies</c>: where a partner's DMSA app is installed, and
/// workspaces for those companies in one call (the "sync tool" a DMSA app needs).
/// </summary>
public static class InstalledCompaniesEndpoints
{
    private const int MaxPrefixLength = WorkspaceIdMaxLength - 19;
    private const int WorkspaceIdMaxLength = 64;

    /// <summary>
    /// Maps the installed companies of a partner's own client-credentials client, for the partner:
    /// rate limited, since each call lists Procore's companies with the client's token.
    /// </summary>
    public static IEndpointRouteBuilder MapInstalledCompanies(this IEndpointRouteBuilder api)
    {
        var companies = api.MapGroup("oauth-clients/{name}").RequireAuthorization(Roles.Partner).WithTags(ApiTags.OAuthClients)
            .WithMetadata(RateLimited.PerPartner);
        companies.MapGet("companies", ListCompanies)
            .WithName("ListInstalledCompanies")
            .WithSummary("DMSA: the companies where the app is installed")
            .WithDescription("Lists Procore's `/rest/v1.0/companies` for the caller's own client-credentials client, each company with the caller's workspaces mapped to it.")
            .WithResponses(static () => Responses(Ok(StatusCodes.Status200OK, "The installed companies.", Examples.InstalledCompanies)));
        companies.MapPost("companies", CreateWorkspaces)
            .WithName("CreateCompanyWorkspaces")
            .WithSummary("DMSA: create workspaces for installed companies")
            .WithDescription("One workspace per chosen company (`companyIds`), or per installed company without one; ids are `workspaceIdPrefix` and the company id. "
                + "The answer has a result per company.")
            .WithRequestBody(static () => RequestDoc.Json(Examples.CreateCompanyWorkspaces, "environment"))
            .WithResponses(static () => Responses(Ok(StatusCodes.Status200OK, "What happened for each company.", Examples.CompanyWorkspaces)));
        return api;
    }

    /// <summary><c>GET …/companies?environment=&amp;companyId=</c>.</summary>
    public static async Task<Results<Ok<InstalledCompaniesResponse>, ValidationProblem, ProblemHttpResult>> ListCompanies(
        string name, string? environment, string? companyId, ClaimsPrincipal user, OAuthClientRepository clients, InstalledCompaniesService companies,
        HttpResponse response, CancellationToken cancellationToken)
    {
        if (!WorkspaceId.IsValid(name))
        {
            return OAuthClientEndpoints.InvalidName();
        }

        var errors = new Dictionary<string, List<string>>();
        var env = ParseEnvironment(environment, errors);
        long? header = null;
        if (companyId is not null)
        {
            if (long.TryParse(companyId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed) && parsed > 0)
            {
                header = parsed;
            }
            else
            {
                errors["companyId"] = ["Must be a positive integer."];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Fields(errors);
        }

        var (client, refusal) = await OwnClientAsync(user, name, clients, cancellationToken);
        if (client is null)
        {
            return refusal!;
        }

        var (listed, problem) = await companies.ListAsync(client, user.PartnerId()!, env!.Value, header, cancellationToken);
        return listed is not null ? TypedResults.Ok(listed) : Problem(problem!, response);
    }

    /// <summary><c>POST …/companies</c>: a workspace per chosen (or unmapped) company, and what happened for each.</summary>
    public static async Task<Results<Ok<CreateCompanyWorkspacesResponse>, ValidationProblem, ProblemHttpResult>> CreateWorkspaces(
        string name, HttpRequest request, ClaimsPrincipal user, OAuthClientRepository clients, InstalledCompaniesService companies, CancellationToken cancellationToken)
    {
        if (!WorkspaceId.IsValid(name))
        {
            return OAuthClientEndpoints.InvalidName();
        }

        var (body, bodyProblem) = await JsonBody.ReadAsync<CreateCompanyWorkspacesRequest>(request, cancellationToken);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        var errors = new Dictionary<string, List<string>>();
        var env = ParseEnvironment(body!.Environment, errors);
        var prefix = body.WorkspaceIdPrefix ?? InstalledCompaniesService.DefaultPrefix;
        if (prefix.Length > MaxPrefixLength || !WorkspaceId.IsValid(prefix + "1"))
        {
            errors["workspaceIdPrefix"] = [$"At most {MaxPrefixLength} characters of a-z, 0-9 and '-', starting with a letter or digit."];
        }

        if (body.CompanyIds is { } ids && (ids.Count is 0 or > 500 || ids.Any(id => id <= 0)))
        {
            errors["companyIds"] = ["1 to 500 positive company ids, or absent for every installed company without a workspace."];
        }

        if (body.CompanyId is <= 0)
        {
            errors["companyId"] = ["Must be a positive integer."];
        }

        if (errors.Count > 0)
        {
            return Problems.Fields(errors);
        }

        var (client, refusal) = await OwnClientAsync(user, name, clients, cancellationToken);
        if (client is null)
        {
            return refusal!;
        }

        var (created, problem) = await companies.CreateAsync(
            client, user.PartnerId()!, env!.Value, body.CompanyIds, prefix, body.CompanyId, user.Actor(), cancellationToken);
        return created is null ? Problem(problem!, request.HttpContext.Response) : TypedResults.Ok(created);
    }

    private static ProcoreEnvironment? ParseEnvironment(string? environment, Dictionary<string, List<string>> errors)
    {
        if (WireName.TryParse<ProcoreEnvironment>(environment, out var parsed))
        {
            return parsed;
        }

        errors["environment"] = [$"Required: one of {string.Join(", ", WireName.AllOf<ProcoreEnvironment>())}."];
        return null;
    }

    // Installed companies are the app owner's business: a partner's own client only (a public
    // client's installations span every partner's customers).
    private static async Task<(OAuthClient? Client, ProblemHttpResult? Refusal)> OwnClientAsync(
        ClaimsPrincipal user, string name, OAuthClientRepository clients, CancellationToken cancellationToken)
    {
        var partner = user.PartnerId()!;
        if (await clients.FindAsync(new OAuthClientRef(partner, name), cancellationToken) is { Status: OAuthClientStatus.Active } own)
        {
            return (own, null);
        }

        return await clients.FindAsync(new OAuthClientRef(OAuthClientRef.PublicOwner, name), cancellationToken) is { Status: OAuthClientStatus.Active }
            ? (null, TypedResults.Problem(
                $"OAuth client '{name}' is a public client: the companies that installed its app are listed only to the operator. "
                + $"The companies the operator grants you on it are in GET /api/oauth-clients/{name} (grantedCompanyIds).",
                statusCode: StatusCodes.Status403Forbidden, title: "Public client"))
            : (null, OAuthClientEndpoints.NotFound(name));
    }

    private static ProblemHttpResult Problem(CompaniesProblem problem, HttpResponse response)
    {
        if (problem.RetryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var extensions = problem.Field is { } field
            ? new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [problem.Detail] } }
            : null;
        return TypedResults.Problem(problem.Detail, statusCode: problem.Status, title: problem.Status switch
        {
            400 => "Missing company",
            403 => "Public client",
            409 => "Not possible for this client",
            429 => "Rate limited",
            503 => "Token being fetched",
            _ => "Procore unavailable",
        }, extensions: extensions);
    }

    private static IReadOnlyList<ResponseDoc> Responses(ResponseDoc ok) =>
    [
        ok,
        OAuthClientEndpoints.InvalidNameDoc,
        Invalid(Problems.Field("environment", "Required: one of production, sandbox, monthly, federal."), "`environment` (or another field) is missing or invalid."),
        ResponseDoc.Problem(TypedResults.Problem("OAuth client 'shared-dmsa' is a public client: the companies that installed its app are listed only to the operator.",
            statusCode: StatusCodes.Status403Forbidden, title: "Public client"), "The name is a public client's."),
        OAuthClientEndpoints.NoClientDoc,
        ResponseDoc.Problem(TypedResults.Problem("Only a client_credentials (DMSA) client can list the companies its app is installed in.",
            statusCode: StatusCodes.Status409Conflict, title: "Not possible for this client"), "Not a client-credentials client, or Procore refused its credentials."),
        ResponseDoc.Problem(TypedResults.Problem("Procore's rate limit for the app is exhausted; retry later.",
            statusCode: StatusCodes.Status429TooManyRequests, title: "Rate limited"), "Procore's rate limit is exhausted; retry after `Retry-After` seconds.")
            with { Header = ("Retry-After", "Seconds until Procore's limit resets.") },
        TokenEndpoints.ProcoreUnavailable,
        ResponseDoc.Problem(TypedResults.Problem("Another instance is fetching the client's token; retry shortly.",
            statusCode: StatusCodes.Status503ServiceUnavailable, title: "Token being fetched"), "Another instance is fetching the token; retry shortly."),
    ];

    private static class Examples
    {
        public static readonly InstalledCompaniesResponse InstalledCompanies = new(
            "acme-dmsa",
            ProcoreEnvironment.Production,
            [new InstalledCompany(1001, "Acme Builders", true, ["procore-1001"]), new InstalledCompany(1002, "Beta Construction", true, [])]);

        public static readonly CreateCompanyWorkspacesRequest CreateCompanyWorkspaces = new()
        {
            Environment = "production",
            CompanyIds = [1001, 1002],
        };

        public static readonly CreateCompanyWorkspacesResponse CompanyWorkspaces = new(
            "acme-dmsa",
            ProcoreEnvironment.Production,
            [
                new CompanyWorkspaceResult(1001, "procore-1001", CompanyWorkspaceOutcome.AlreadyMapped),
                new CompanyWorkspaceResult(1002, "procore-1002", CompanyWorkspaceOutcome.Created),
            ]);
    }
}
