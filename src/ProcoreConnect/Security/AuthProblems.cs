using Microsoft.AspNetCore.Authorization;

namespace ProcoreConnect.Security;

/// <summary>
/// Words for the 401s and 403s the pipeline answers without a body of its own (authentication's
/// challenge, authorization's forbid): how to send credentials, what was wrong with the ones sent,
/// and which role the route needs. Never a word of the key or token itself.
/// </summary>
public static class AuthProblems
{
    /// <summary>How a key is sent, in the words every 401 ends with.</summary>
    public const string HowToSend = "Send your API key in the X-Api-Key header (X-Api-Key: pck_…), or as Authorization: ApiKey pck_…";

    /// <summary>The extension naming the role a 403's route needs.</summary>
    public const string RequiredRoleExtension = "requiredRole";

    /// <summary>Fills in the detail of a bodiless 401 or 403; leaves every other problem as it is.</summary>
    public static void Describe(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Detail is not null)
        {
            return;
        }

        var http = context.HttpContext;
        switch (problem.Status ?? http.Response.StatusCode)
        {
            case StatusCodes.Status401Unauthorized:
                problem.Detail = Unauthenticated(http.Request);
                break;
            case StatusCodes.Status403Forbidden when RequiredPolicy(http) is { } policy:
                problem.Detail = $"This route needs {Role(policy)}; your credentials do not carry it.";
                problem.Extensions[RequiredRoleExtension] = policy;
                break;
        }
    }

    /// <summary>Why a request was not authenticated, and what to send instead (from what it sent: the handler's reasons are logged, not answered).</summary>
    public static string Unauthenticated(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ApiKeyAuthenticationHandler.KeyOf(request) is not null)
        {
            return "The API key was refused: it is malformed, unknown or revoked. Send it whole (pck_<keyId>_<secret>); "
                + "a key is shown only when it is created, so a lost one is replaced by a new one.";
        }

        var authorization = request.Headers.Authorization.ToString().Trim();
        if (authorization.Length == 0)
        {
            return "No credentials. " + HowToSend + "; partner keys come from POST /api/partners/{partnerId}/keys.";
        }

        // A scheme is echoed only when it looks like one (a short word): what else stands first in the
        // header may be the credential itself, and a refusal never repeats a credential.
        var parts = authorization.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        var scheme = parts[0].Length <= 20 && parts[0].All(char.IsAsciiLetter) ? $"'{parts[0]}'" : null;
        if (authorization.Contains(PartnerKeyStore.Prefix, StringComparison.Ordinal))
        {
            return $"The Authorization header carries an API key {(scheme is null ? "without the ApiKey scheme" : $"under the {scheme} scheme, which is for other credentials")}. "
                + HowToSend + ".";
        }

        return scheme is not null && parts[0].Equals("Bearer", StringComparison.OrdinalIgnoreCase)
            ? "The bearer token was not accepted: Microsoft Entra ID tokens are taken only where Auth:Entra:Authority is configured, "
                + "and only when valid for this API's audience. " + HowToSend + "."
            : $"The Authorization {(scheme is null ? "header names no scheme this API takes" : $"scheme {scheme} is not accepted")}. "
                + HowToSend + ", or a Microsoft Entra ID token as Authorization: Bearer ….";
    }

    // The route's policy, as declared on its endpoint (the last declaration wins, as in authorization).
    private static string? RequiredPolicy(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null);

    private static string Role(string policy) => policy switch
    {
        Roles.Partner => $"the '{Roles.Partner}' role: a partner API key (or an Entra ID application with the partner app role); the admin key does not act for a partner",
        Roles.Admin => $"the '{Roles.Admin}' role: the admin API key (or an Entra ID application with the admin app role)",
        Roles.PartnerOrAdmin => $"the '{Roles.Partner}' or '{Roles.Admin}' role: a partner API key or the admin key",
        _ => $"the '{policy}' policy",
    };
}
