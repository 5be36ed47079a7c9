using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using ProcoreConnect.Audit;
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
/// <c>/api/oauth-clients</c>: a partner's reusable OAuth clients, and (for admins) the public ones
/// every partner may use. Partners read public clients but never change them; no one reads a secret.
/// </summary>
public static class OAuthClientEndpoints
{
    /// <summary>
    /// Maps the clients, for partners (their own) and admins (the public ones). The writes are rate
    /// limited: they write client secrets, and a rotation proves the secret at Procore.
    /// </summary>
    public static IEndpointRouteBuilder MapOAuthClients(this IEndpointRouteBuilder api)
    {
        // No prefix of its own, for the list's route (see MapWorkspaces).
        var clients = api.MapGroup("").RequireAuthorization(Roles.PartnerOrAdmin).WithTags(ApiTags.OAuthClients);
        clients.MapGet("oauth-clients", ListClients)
            .WithName("ListOAuthClients")
            .WithSummary("List OAuth clients: the caller's, then the public ones")
            .WithResponses(static () => [Ok(StatusCodes.Status200OK, "A page of clients (never a secret).", Examples.Clients), ApiParameters.InvalidPaging]);
        clients.MapGet("oauth-clients/{name}", GetClient)
            .WithName("GetOAuthClient")
            .WithSummary("Read an OAuth client")
            .WithDescription("The caller's client of this name, else the public one; `workspaceCount` counts the caller's own workspaces only.")
            .WithETag()
            .WithResponses(static () => [Ok(StatusCodes.Status200OK, "The client, with the secret's status only.", Examples.Client), InvalidNameDoc, NoClientDoc]);
        clients.MapPut("oauth-clients/{name}", PutClient)
            .WithName("PutOAuthClient")
            .WithSummary("Create or update an OAuth client")
            .WithDescription("An admin writes public clients, which every partner may name. `clientSecret` is write-only: required on create, "
                + "absent on update keeps the current one. `authFlow` is fixed once the client exists, and `clientId` cannot change while a workspace uses the client.")
            .WithMetadata(RateLimited.PerPartner)
            .WithRequestBody(static () => RequestDoc.Json(Examples.ClientRequest, "authFlow", "clientId"))
            .WithIfMatch()
            .WithETag()
            .WithResponses(static () =>
            [
                Ok(StatusCodes.Status201Created, "Created.", Examples.Client with { WorkspaceCount = null }),
                Ok(StatusCodes.Status200OK, "Updated.", Examples.Client with { WorkspaceCount = null }),
                InvalidNameDoc,
                Invalid(Problems.Fields(OAuthClientRequestValidator.Validate(Examples.ClientRequest with { AuthFlow = "password" }).Errors),
                    "A field is missing or invalid; `errors` names every one."),
                Problem(Problems.Conflict($"OAuth client '{ApiExamples.ClientName}' was changed by a concurrent request; read it and retry."),
                    "Another write won the race, the name is a public client's, or `clientId` changed while workspaces use the client."),
            ]);
        clients.MapDelete("oauth-clients/{name}", DeleteClient)
            .WithName("DeleteOAuthClient")
            .WithSummary("Delete an OAuth client and its secrets")
            .WithMetadata(RateLimited.PerPartner)
            .WithIfMatch()
            .WithResponses(static () =>
            [
                Ok(StatusCodes.Status204NoContent, "Deleted."),
                InvalidNameDoc,
                PublicClientDoc,
                NoClientDoc,
                Problem(Problems.Conflict($"OAuth client '{ApiExamples.ClientName}' is used by 3 workspaces: delete them or move them to another client first."),
                    "Workspaces still use the client (for a public client, any partner's); nothing changed."),
            ]);
        clients.MapPut("oauth-clients/{name}/secret", RotateSecret)
            .WithName("RotateOAuthClientSecret")
            .WithSummary("Rotate the client secret for every workspace of the client")
            .WithDescription("Stores the new secret as a new version, proves it against Procore (a client-credentials token request in `environment` "
                + "or a workspace's; for the code flow, a refresh of one connected workspace), and only then makes it current.")
            .WithMetadata(RateLimited.PerPartner)
            .WithRequestBody(static () => RequestDoc.Json(Examples.SecretRotation, "clientSecret"))
            .WithResponses(static () =>
            [
                Ok(StatusCodes.Status200OK, "The new secret is current.", Examples.Client with { WorkspaceCount = null }),
                InvalidNameDoc,
                Invalid(Problems.Field("clientSecret", "Required: " + OAuthClientRequestValidator.SecretRule), "`clientSecret` or `environment` is missing or invalid."),
                PublicClientDoc,
                NoClientDoc,
                Problem(Problems.Conflict("No workspace of the client is connected: the new secret cannot be proven yet."),
                    "Nothing to prove the secret with (no connected workspace), or the client changed meanwhile."),
                Problem(SecretRefused(), "Procore refused the new secret; the current one stays in use."),
                TokenEndpoints.ProcoreUnavailable,
            ]);
        return api;
    }

    /// <summary><c>GET /api/oauth-clients/{name}</c>: the caller's client of that name, else the public one.</summary>
    public static async Task<Results<Ok<OAuthClientResponse>, ValidationProblem, ProblemHttpResult>> GetClient(
        string name, ClaimsPrincipal user, OAuthClientRepository clients, OAuthClientService service, CompanyAccess access, HttpResponse response,
        CancellationToken cancellationToken)
    {
        if (!WorkspaceId.IsValid(name))
        {
            return InvalidName();
        }

        var owner = user.ClientOwner()!;
        var client = await FindReadableAsync(owner, name, clients, cancellationToken);
        if (client is null)
        {
            return NotFound(name);
        }

        // A partner counts only its own workspaces, also on a public client, and sees its own grant there.
        var partner = owner == OAuthClientRef.PublicOwner ? null : owner;
        var count = await service.CountUsersAsync(client.Ref, cancellationToken, partner);
        var scope = partner is null || !client.Ref.IsPublic ? null : await access.ScopeAsync(client.Ref, client.AuthFlow, partner, cancellationToken);
        response.Headers.ETag = client.ETag.ToString();
        return TypedResults.Ok(OAuthClientResponse.From(client, count, scope));
    }

    /// <summary><c>GET /api/oauth-clients?pageSize=&amp;continuationToken=</c>: the caller's clients, then the public ones.</summary>
    public static async Task<Results<Ok<OAuthClientListResponse>, ValidationProblem>> ListClients(
        string? pageSize, string? continuationToken, ClaimsPrincipal user, OAuthClientRepository clients, CancellationToken cancellationToken)
    {
        var (size, storageToken, problem) = Paging.Read(pageSize, continuationToken);
        if (problem is not null)
        {
            return problem;
        }

        // The token says which partition the page continues in: "own:{storage token}" or "public:{storage token}".
        var owner = user.ClientOwner()!;
        var (partition, inner) = storageToken switch
        {
            null => (owner, null),
            _ when storageToken.StartsWith("own:", StringComparison.Ordinal) => (owner, storageToken[4..]),
            _ when storageToken.StartsWith("public:", StringComparison.Ordinal) => (OAuthClientRef.PublicOwner, storageToken[7..]),
            _ => ((string?)null, (string?)null),
        };
        if (partition is null)
        {
            return Problems.Field("continuationToken", "Not a token this API returned.");
        }

        var (items, next) = await clients.ListAsync(partition, size, string.IsNullOrEmpty(inner) ? null : inner, cancellationToken);
        string? token = next is not null ? (partition == owner ? "own:" : "public:") + next
            : partition != OAuthClientRef.PublicOwner ? "public:"
            : null;
        if (token == "public:" && items.Count < size)
        {
            // The partner's own clients ended inside this page: fill it up with public ones.
            var (more, afterMore) = await clients.ListAsync(OAuthClientRef.PublicOwner, size - items.Count, null, cancellationToken);
            items = [.. items, .. more];
            token = afterMore is null ? null : "public:" + afterMore;
        }

        return TypedResults.Ok(new OAuthClientListResponse([.. items.Select(c => OAuthClientResponse.From(c))], Paging.Encode(token)));
    }

    /// <summary><c>PUT /api/oauth-clients/{name}</c>: create (201) or update (200). Admins write public clients.</summary>
    public static async Task<Results<Created<OAuthClientResponse>, Ok<OAuthClientResponse>, ValidationProblem, ProblemHttpResult>> PutClient(
        string name, HttpRequest request, ClaimsPrincipal user, OAuthClientService service, AuditLog audit, CancellationToken cancellationToken)
    {
        if (!WorkspaceId.IsValid(name))
        {
            return InvalidName();
        }

        var (body, bodyProblem) = await JsonBody.ReadAsync<OAuthClientRequest>(request, cancellationToken);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        var (settings, errors) = OAuthClientRequestValidator.Validate(body!);
        if (settings is null)
        {
            return Problems.Fields(errors);
        }

        var client = new OAuthClientRef(user.ClientOwner()!, name);
        var outcome = await service.UpsertAsync(client, settings, Preconditions.IfMatch(request), cancellationToken);
        if (outcome.Value is not { } written)
        {
            return outcome.Status == WriteStatus.Invalid ? Problems.Field(outcome.Field!, outcome.Detail!) : Failure(name, outcome);
        }

        var created = outcome.Status == WriteStatus.Created;
        await audit.RecordAsync(AuditScope(client), user.Actor(), created ? "oauth_client.created" : "oauth_client.updated", SentFields(body!), cancellationToken);
        request.HttpContext.Response.Headers.ETag = written.ETag.ToString();
        var view = OAuthClientResponse.From(written);
        return created ? TypedResults.Created($"/api/oauth-clients/{name}", view) : TypedResults.Ok(view);
    }

    /// <summary><c>DELETE /api/oauth-clients/{name}</c>: refused (409, with the count) while workspaces use it.</summary>
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteClient(
        string name, HttpRequest request, ClaimsPrincipal user, OAuthClientRepository clients, OAuthClientService service, AuditLog audit, CancellationToken cancellationToken)
    {
        if (!WorkspaceId.IsValid(name))
        {
            return InvalidName();
        }

        if (await OnlyPublicAsync(user, name, clients, cancellationToken))
        {
            return PublicIsReadOnly(name);
        }

        var client = new OAuthClientRef(user.ClientOwner()!, name);
        var outcome = await service.DeleteAsync(client, Preconditions.IfMatch(request), cancellationToken);
        if (outcome.Status != WriteStatus.Deleted)
        {
            return Failure(name, outcome);
        }

        await audit.RecordAsync(AuditScope(client), user.Actor(), "oauth_client.deleted", null, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// <c>PUT /api/oauth-clients/{name}/secret</c>: rotate the secret for every workspace of the
    /// client, proven against Procore first (422 when Procore refuses it; nothing changes then).
    /// </summary>
    public static async Task<Results<Ok<OAuthClientResponse>, ValidationProblem, ProblemHttpResult>> RotateSecret(
        string name, HttpRequest request, ClaimsPrincipal user, OAuthClientRepository clients, ClientSecretRotation service, AuditLog audit, CancellationToken cancellationToken)
    {
        if (!WorkspaceId.IsValid(name))
        {
            return InvalidName();
        }

        var (body, problem) = await JsonBody.ReadAsync<SecretRotationRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (!OAuthClientRequestValidator.IsSecret(body!.ClientSecret))
        {
            return Problems.Field("clientSecret", "Required: " + OAuthClientRequestValidator.SecretRule);
        }

        ProcoreEnvironment? environment = null;
        if (body.Environment is not null)
        {
            if (!WireName.TryParse<ProcoreEnvironment>(body.Environment, out var parsed))
            {
                return Problems.Field("environment", $"Must be one of: {string.Join(", ", WireName.AllOf<ProcoreEnvironment>())}.");
            }

            environment = parsed;
        }

        if (await OnlyPublicAsync(user, name, clients, cancellationToken))
        {
            return PublicIsReadOnly(name);
        }

        var client = new OAuthClientRef(user.ClientOwner()!, name);
        var (outcome, proof) = await service.RotateSecretAsync(client, body.ClientSecret!, body.ClientSecretExpiresAt, environment, cancellationToken);
        if (outcome.Status == WriteStatus.Updated)
        {
            await audit.RecordAsync(AuditScope(client), user.Actor(), "oauth_client.secret_rotated", "clientSecret", cancellationToken);
            request.HttpContext.Response.Headers.ETag = outcome.Value!.ETag.ToString();
            return TypedResults.Ok(OAuthClientResponse.From(outcome.Value));
        }

        return outcome.Status switch
        {
            WriteStatus.NotFound => NotFound(name),
            WriteStatus.Invalid when proof is TokenStatus.InvalidClient => SecretRefused(),
            WriteStatus.Invalid when outcome.Field is { } field => Problems.Field(field, outcome.Detail!),
            WriteStatus.Invalid when proof is TokenStatus.NotConnected or TokenStatus.NeedsReauthorization => Problems.Conflict(outcome.Detail!),
            WriteStatus.Invalid => TypedResults.Problem(outcome.Detail, statusCode: StatusCodes.Status502BadGateway, title: "Procore unavailable"),
            _ => Problems.Conflict(outcome.Detail ?? "Conflict."),
        };
    }

    /// <summary>The audit scope of a client.</summary>
    public static string AuditScope(OAuthClientRef client) => $"client:{client.Owner}:{client.Name}";

    /// <summary>The client the caller may read: its own of that name, else the public one.</summary>
    public static async Task<OAuthClient?> FindReadableAsync(string owner, string name, OAuthClientRepository clients, CancellationToken cancellationToken) =>
        await clients.FindAsync(new OAuthClientRef(owner, name), cancellationToken) is { Status: OAuthClientStatus.Active } own ? own
        : owner != OAuthClientRef.PublicOwner && await clients.FindAsync(new OAuthClientRef(OAuthClientRef.PublicOwner, name), cancellationToken) is { Status: OAuthClientStatus.Active } shared ? shared
        : null;

    /// <summary>A 404 for a client that does not exist (or is not visible to the caller).</summary>
    public static ProblemHttpResult NotFound(string name) =>
        TypedResults.Problem($"OAuth client '{name}' was not found.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    /// <summary>A 400 for a route name that is not of the documented shape.</summary>
    public static ValidationProblem InvalidName() => Problems.Field("name", "OAuth client names are " + WorkspaceId.Rule);

    // A partner naming a public client it has no own client of the same name for.
    private static async Task<bool> OnlyPublicAsync(ClaimsPrincipal user, string name, OAuthClientRepository clients, CancellationToken cancellationToken) =>
        user.ClientOwner() is { } owner && owner != OAuthClientRef.PublicOwner
        && await clients.FindAsync(new OAuthClientRef(owner, name), cancellationToken) is null
        && await clients.FindAsync(new OAuthClientRef(OAuthClientRef.PublicOwner, name), cancellationToken) is not null;

    /// <summary>A 403: partners use a public client, only the operator changes it.</summary>
    internal static ProblemHttpResult PublicIsReadOnly(string name) => TypedResults.Problem(
        $"OAuth client '{name}' is a public client: the operator manages it. You can use it in workspaces, not change it.",
        statusCode: StatusCodes.Status403Forbidden, title: "Public client");

    /// <summary>A 422: Procore refused a new client secret, which therefore did not become current.</summary>
    internal static ProblemHttpResult SecretRefused() => TypedResults.Problem(
        "Procore refused the new client secret; the current one stays in use.",
        statusCode: StatusCodes.Status422UnprocessableEntity,
        title: "Client secret refused",
        extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["clientSecret"] = ["Refused by Procore."] } });

    // What a change touched, by field name: the values (a secret among them) stay out of the log.
    private static string SentFields(OAuthClientRequest body) => string.Join(", ", new (string Name, object? Value)[]
    {
        ("authFlow", body.AuthFlow), ("clientId", body.ClientId), ("clientSecret", body.ClientSecret),
        ("clientSecretExpiresAt", body.ClientSecretExpiresAt), ("redirectUri", body.RedirectUri), ("displayName", body.DisplayName),
    }.Where(f => f.Value is not null).Select(f => f.Name));

    private static ProblemHttpResult Failure(string name, WriteOutcome<OAuthClient> outcome) =>
        outcome.Status switch
        {
            WriteStatus.NotFound => NotFound(name),
            WriteStatus.PreconditionFailed => Problems.PreconditionFailed(outcome.Detail!),
            _ => Problems.Conflict(outcome.Detail ?? "Conflict."),
        };

    /// <summary>The 400 of a name of the wrong shape, for the descriptions of the client's endpoints.</summary>
    internal static ResponseDoc InvalidNameDoc => Invalid(InvalidName(), "The name is not an OAuth client name.");

    /// <summary>The 404 of a client the caller cannot read, for the descriptions of the client's endpoints.</summary>
    internal static ResponseDoc NoClientDoc => Problem(NotFound(ApiExamples.ClientName), "Neither the caller nor the operator has an OAuth client of this name.");

    private static ResponseDoc PublicClientDoc =>
        Problem(PublicIsReadOnly("shared-dmsa"), "The name is a public client's: partners use it, only the operator changes it.");

    private static class Examples
    {
        public static readonly OAuthClientRequest ClientRequest = new()
        {
            AuthFlow = "authorization_code",
            ClientId = "3f1c0a7e9b2d4c68",
            ClientSecret = "(the secret from Procore's Developer Portal)",
            ClientSecretExpiresAt = new DateTimeOffset(2027, 6, 1, 0, 0, 0, TimeSpan.Zero),
            DisplayName = "Acme sync (code flow)",
        };

        public static readonly OAuthClientResponse Client = new()
        {
            Name = ApiExamples.ClientName,
            DisplayName = "Acme sync (code flow)",
            Public = false,
            AuthFlow = AuthFlow.AuthorizationCode,
            ClientId = "3f1c0a7e9b2d4c68",
            ClientSecret = new ClientSecretStatus(true, ApiExamples.Created, new DateTimeOffset(2027, 6, 1, 0, 0, 0, TimeSpan.Zero)),
            WorkspaceCount = 2,
            CreatedAt = ApiExamples.Created,
            UpdatedAt = ApiExamples.Created,
        };

        public static readonly OAuthClientListResponse Clients = new(
            [
                Client with { WorkspaceCount = null },
                Client with { Name = "shared-dmsa", DisplayName = "Shared by the operator", Public = true, AuthFlow = AuthFlow.ClientCredentials, WorkspaceCount = null },
            ],
            null);

        public static readonly SecretRotationRequest SecretRotation = new()
        {
            ClientSecret = "(the new secret from Procore's Developer Portal)",
            ClientSecretExpiresAt = new DateTimeOffset(2027, 12, 1, 0, 0, 0, TimeSpan.Zero),
        };
    }
}
