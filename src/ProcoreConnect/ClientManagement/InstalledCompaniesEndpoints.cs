using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using ProcoreConnect.Clients;
using ProcoreConnect.Common;
using ProcoreConnect.Http;
using ProcoreConnect.Procore;
using ProcoreConnect.Security;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.ClientManagement;

/// <summary>
/// <c>/api/oauth-clients/{name}/companies</c>: where a partner's DMSA app is installed, and
/// workspaces for those companies in one call (the "sync tool" a DMSA app needs).
/// </summary>
public static class InstalledCompaniesEndpoints
{
    private const int MaxPrefixLength = WorkspaceIdMaxLength - 19;
    private const int WorkspaceIdMaxLength = 64;

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
}
