using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using ProcoreConnect.Audit;
using ProcoreConnect.Clients;
using ProcoreConnect.Common;
using ProcoreConnect.Http;
using ProcoreConnect.OpenApi;
using ProcoreConnect.Procore;
using ProcoreConnect.Security;
using ProcoreConnect.Workspaces;
using static ProcoreConnect.OpenApi.ResponseDoc;

namespace ProcoreConnect.ClientManagement;

/// <summary>
/// <c>/api/oauth-clients/{name}/grants/{partnerId}</c> (admin only): which companies a partner may
/// use a public client for (see <see cref="CompanyAccess"/>).
/// </summary>
public static class ClientGrantEndpoints
{
    /// <summary>The most companies one grant lists.</summary>
    public const int MaxCompanies = 1000;

    /// <summary>Maps a partner's grant on a public client, for admins.</summary>
    public static IEndpointRouteBuilder MapClientGrants(this IEndpointRouteBuilder api)
    {
        var grant = api.MapGroup("oauth-clients/{name}/grants").RequireAuthorization(Roles.Admin).WithTags(ApiTags.OAuthClients);
        grant.MapPut("{partnerId}", Put)
            .WithName("PutOAuthClientGrant")
            .WithSummary("Grant a partner companies on a public client (admin only)")
            .WithDescription("Replaces the list. On a public client-credentials client a partner may use only granted companies (the app's token reaches every "
                + "company that installed it); on a public code-flow client a grant, when set, restricts the partner to it. Workspaces on companies no "
                + "longer granted get no token (`403 grant_revoked`) and show `grant_revoked` in needs-attention.")
            .WithRequestBody(static () => RequestDoc.Json(Examples.GrantRequest, "companyIds"))
            .WithResponses(static () =>
            [
                Ok(StatusCodes.Status200OK, "The grant as stored.", Examples.Grant),
                Invalid(Problems.Field("companyIds", $"Required: a list of at most {MaxCompanies} positive Procore company ids ([] grants none)."), "`companyIds` (or the route) is invalid."),
                NoGrantOrClient with { Description = "No public client of this name." },
            ]);
        grant.MapGet("{partnerId}", Get)
            .WithName("GetOAuthClientGrant")
            .WithSummary("A partner's grant on a public client (admin only)")
            .WithResponses(static () => [Ok(StatusCodes.Status200OK, "The grant.", Examples.Grant), OAuthClientEndpoints.InvalidNameDoc, NoGrantOrClient]);
        grant.MapDelete("{partnerId}", Delete)
            .WithName("DeleteOAuthClientGrant")
            .WithSummary("Remove a partner's grant on a public client (admin only)")
            .WithDescription("On a client-credentials client the partner then may use no company; on a code-flow client, any its people sign in to.")
            .WithResponses(static () => [Ok(StatusCodes.Status204NoContent, "Removed."), OAuthClientEndpoints.InvalidNameDoc, NoGrantOrClient]);
        return api;
    }

    /// <summary><c>PUT</c>: sets (replaces) the partner's companies on the public client.</summary>
    public static async Task<Results<Ok<ClientGrant>, ValidationProblem, ProblemHttpResult>> Put(
        string name, string partnerId, HttpRequest request, ClaimsPrincipal user, OAuthClientRepository clients, ClientGrantStore grants, GrantChanges changes,
        AuditLog audit, CancellationToken cancellationToken)
    {
        if (RouteProblem(name, partnerId) is { } invalid)
        {
            return invalid;
        }

        var (body, problem) = await JsonBody.ReadAsync<ClientGrantRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, List<string>>();
        if (body!.CompanyIds is not { Count: <= MaxCompanies } companyIds || companyIds.Any(id => id <= 0))
        {
            errors["companyIds"] = [$"Required: a list of at most {MaxCompanies} positive Procore company ids ([] grants none)."];
            companyIds = [];
        }

        List<ProcoreEnvironment>? environments = null;
        if (body.Environments is { } named)
        {
            environments = [];
            foreach (var (text, i) in named.Select((e, i) => (e, i)))
            {
                if (WireName.TryParse<ProcoreEnvironment>(text, out var environment))
                {
                    environments.Add(environment);
                }
                else
                {
                    errors[$"environments[{i}]"] = [$"Must be one of: {string.Join(", ", WireName.AllOf<ProcoreEnvironment>())}."];
                }
            }

            if (named.Count == 0)
            {
                errors["environments"] = ["Leave it out for every environment, or name at least one."];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Fields(errors);
        }

        if (await PublicClientAsync(name, clients, cancellationToken) is not { } client)
        {
            return NotPublic(name);
        }

        var granteesBefore = await grants.GranteesAsync(name, cancellationToken);
        var grant = await grants.SaveAsync(name, partnerId, companyIds, environments, cancellationToken);
        await changes.AppliedAsync(client, partnerId, granteesBefore, cancellationToken);
        await audit.RecordAsync(OAuthClientEndpoints.AuditScope(client.Ref), user.Actor(), "oauth_client.grant_set", $"partner {partnerId}: {grant.CompanyIds.Count} companies", cancellationToken);
        return TypedResults.Ok(grant);
    }

    /// <summary><c>GET</c>: the partner's companies on the public client (404 when the operator set none).</summary>
    public static async Task<Results<Ok<ClientGrant>, ValidationProblem, ProblemHttpResult>> Get(
        string name, string partnerId, OAuthClientRepository clients, ClientGrantStore grants, CancellationToken cancellationToken)
    {
        if (RouteProblem(name, partnerId) is { } invalid)
        {
            return invalid;
        }

        if (await PublicClientAsync(name, clients, cancellationToken) is null)
        {
            return NotPublic(name);
        }

        return await grants.FindAsync(name, partnerId, cancellationToken) is { } grant
            ? TypedResults.Ok(grant)
            : TypedResults.Problem($"Partner '{partnerId}' has no grant on OAuth client '{name}'.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
    }

    /// <summary><c>DELETE</c>: removes the partner's grant (its workspaces on a client-credentials client then get no tokens).</summary>
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Delete(
        string name, string partnerId, ClaimsPrincipal user, OAuthClientRepository clients, ClientGrantStore grants, GrantChanges changes,
        AuditLog audit, CancellationToken cancellationToken)
    {
        if (RouteProblem(name, partnerId) is { } invalid)
        {
            return invalid;
        }

        if (await PublicClientAsync(name, clients, cancellationToken) is not { } client)
        {
            return NotPublic(name);
        }

        var granteesBefore = await grants.GranteesAsync(name, cancellationToken);
        if (!await grants.DeleteAsync(name, partnerId, cancellationToken))
        {
            return TypedResults.Problem($"Partner '{partnerId}' has no grant on OAuth client '{name}'.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
        }

        await changes.AppliedAsync(client, partnerId, granteesBefore, cancellationToken);
        await audit.RecordAsync(OAuthClientEndpoints.AuditScope(client.Ref), user.Actor(), "oauth_client.grant_removed", $"partner {partnerId}", cancellationToken);
        return TypedResults.NoContent();
    }

    private static ValidationProblem? RouteProblem(string name, string partnerId)
    {
        var errors = new Dictionary<string, List<string>>();
        if (!WorkspaceId.IsValid(name))
        {
            errors["name"] = ["OAuth client names are " + WorkspaceId.Rule];
        }

        if (!WorkspaceId.IsValid(partnerId))
        {
            errors["partnerId"] = ["Partner ids are " + WorkspaceId.Rule];
        }

        return errors.Count > 0 ? Problems.Fields(errors) : null;
    }

    private static async Task<OAuthClient?> PublicClientAsync(string name, OAuthClientRepository clients, CancellationToken cancellationToken) =>
        await clients.FindAsync(new OAuthClientRef(OAuthClientRef.PublicOwner, name), cancellationToken) is { Status: OAuthClientStatus.Active } client ? client : null;

    private static ProblemHttpResult NotPublic(string name) => TypedResults.Problem(
        $"There is no public OAuth client named '{name}': grants exist only on public clients (a partner's own clients serve all its companies).",
        statusCode: StatusCodes.Status404NotFound, title: "Not found");

    private static ResponseDoc NoGrantOrClient => Problem(
        TypedResults.Problem($"Partner '{ApiExamples.PartnerId}' has no grant on OAuth client 'shared-dmsa'.", statusCode: StatusCodes.Status404NotFound, title: "Not found"),
        "No public client of this name, or no grant for the partner.");

    private static class Examples
    {
        public static readonly ClientGrantRequest GrantRequest = new() { CompanyIds = [1002, 1003], Environments = ["production"] };

        public static readonly ClientGrant Grant = new("shared-dmsa", ApiExamples.PartnerId, [1002, 1003], [ProcoreEnvironment.Production], ApiExamples.Created);
    }
}
