using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ProcoreConnect.Http;
using ProcoreConnect.Procore;
using ProcoreConnect.Tokens;

namespace ProcoreConnect.Workspaces;

/// <summary><c>PUT /api/workspaces/{id}/connection/secret</c>: rotate a client secret.</summary>
public static class SecretRotationEndpoints
{
    /// <summary>200 with the connection when the new secret is proven and current; 422 when Procore refuses it.</summary>
    public static async Task<Results<Ok<ConnectionResponse>, ValidationProblem, ProblemHttpResult>> RotateSecret(
        string id,
        HttpRequest request,
        System.Security.Claims.ClaimsPrincipal user,
        WorkspaceRepository workspaces,
        SecretRotationService rotation,
        Audit.AuditLog audit,
        IOptions<ProcoreOptions> procore,
        CancellationToken cancellationToken)
    {
        if (!WorkspaceId.IsValid(id))
        {
            return Problems.InvalidWorkspaceId();
        }

        var (body, problem) = await JsonBody.ReadAsync<SecretRotationRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.ClientSecret is not { Length: > 0 and <= ConnectionRequestValidator.MaxClientSecretLength } secret || secret.Any(c => c is <= ' ' or > '~'))
        {
            return Problems.Field("clientSecret", $"Required: 1 to {ConnectionRequestValidator.MaxClientSecretLength} visible ASCII characters, no spaces.");
        }

        if (await workspaces.FindOwnedAsync(id, Security.Caller.PartnerId(user)!, cancellationToken) is null)
        {
            return Problems.WorkspaceNotFound(id);
        }

        var (outcome, proof) = await rotation.RotateAsync(id, secret, body.ClientSecretExpiresAt, cancellationToken);
        if (outcome.Status == WriteStatus.Updated)
        {
            await audit.RecordAsync(id, Security.Caller.Actor(user), "workspace.secret_rotated", "clientSecret", cancellationToken);
        }

        return outcome.Status switch
        {
            WriteStatus.Updated => Ok(outcome.Workspace!, procore.Value, request),
            WriteStatus.NotFound => Problems.WorkspaceNotFound(id),
            WriteStatus.Invalid when proof is TokenStatus.InvalidClient => TypedResults.Problem(
                "Procore refused the new client secret; the current one stays in use.",
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "Client secret refused",
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["clientSecret"] = ["Refused by Procore."] } }),
            WriteStatus.Invalid when proof is TokenStatus.NotConnected or TokenStatus.NeedsReauthorization => Problems.Conflict(
                "The new secret can only be proven on a connected workspace; connect it first, or set the secret with PUT /connection."),
            WriteStatus.Invalid => TypedResults.Problem(
                outcome.Detail ?? "Procore could not prove the new secret; the current one stays in use. Retry later.",
                statusCode: StatusCodes.Status502BadGateway, title: "Procore unavailable"),
            _ => Problems.Conflict(outcome.Detail ?? "Conflict."),
        };
    }

    private static Ok<ConnectionResponse> Ok(Workspace workspace, ProcoreOptions procore, HttpRequest request)
    {
        request.HttpContext.Response.Headers.ETag = workspace.ETag.ToString();
        return TypedResults.Ok(ConnectionResponse.From(workspace, procore));
    }
}
