using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ProcoreConnect.Security;

/// <summary>
/// Authenticates <c>X-Api-Key: pck_…</c> (or <c>Authorization: ApiKey pck_…</c>) as
/// <see cref="ApiKeyVerifier"/> says: partner keys from the key store, and the bootstrap admin key
/// by its configured hash. Refusals are logged with their reason and the key id at most, never the key.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyVerifier verifier) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "ApiKey";

    /// <summary>The claim naming the key a caller authenticated with (its id, never the key).</summary>
    public const string KeyIdClaim = "key_id";

    /// <summary>The header partners send their key in.</summary>
    public const string Header = "X-Api-Key";

    /// <summary>The presented key, if the request carries one.</summary>
    public static string? KeyOf(HttpRequest request)
    {
        if (request.Headers.TryGetValue(Header, out var key) && !string.IsNullOrEmpty(key))
        {
            return key.ToString();
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("ApiKey ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : null;
    }

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var check = await verifier.VerifyAsync(Request, Context.RequestAborted);
        if (check.Caller is { } caller)
        {
            return Success(caller);
        }

        if (check.Refusal is not { } refusal)
        {
            return AuthenticateResult.NoResult();
        }

        Logger.LogWarning("Refused API key (key id {KeyId}) for {Method} {Path}: {Reason}", check.KeyId ?? "none", Request.Method, Request.Path, refusal);
        return AuthenticateResult.Fail(refusal);
    }

    private static AuthenticateResult Success(ApiKeyCaller caller)
    {
        var identity = new ClaimsIdentity(
            [new Claim(Roles.PartnerClaim, caller.PartnerId), new Claim(ClaimTypes.Role, caller.Role), new Claim(KeyIdClaim, caller.KeyId)],
            SchemeName, Roles.PartnerClaim, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
