using Microsoft.AspNetCore.Authentication;

namespace ProcoreConnect.Security;

/// <summary>
/// Logs every refused request (4xx) with its reason: the authentication failure, or the problem's
/// title and the names of the offending fields. Never the query string, a header or a body, nor a
/// path that holds a secret (<see cref="Http.SecretInPath"/>: the route template instead).
/// </summary>
public sealed class RefusalLogging(RequestDelegate next, ILogger<RefusalLogging> logger)
{
    /// <summary>The item the problem-details customization leaves the reason in.</summary>
    public const string ReasonItem = "refusal-reason";

    /// <summary>Runs the request, then logs it if it was refused.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        var status = context.Response.StatusCode;
        if (status is < 400 or >= 500)
        {
            return;
        }

        var reason = context.Items[ReasonItem] as string ?? status switch
        {
            401 => context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Failure?.Message
                ?? (context.Request.Headers.Authorization.Count > 0 || context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.Header)
                    ? "credentials refused"
                    : "no credentials"),
            403 => "caller lacks the required role",
            _ => "refused",
        };
        logger.LogWarning(
            "Refused {Method} {Path} for {Caller}: {Status} {Reason}",
            context.Request.Method, Http.SecretInPath.LoggablePath(context), context.User.PartnerId() ?? "anonymous", status, reason);
    }
}
