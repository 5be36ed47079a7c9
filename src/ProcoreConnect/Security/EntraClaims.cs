using System.Security.Claims;
using Microsoft.Extensions.Options;

namespace ProcoreConnect.Security;

/// <summary>
/// Maps a validated Entra ID token onto the app's own claims: the partner id (from the calling
/// application) and the app's roles (from the token's app roles, compared exactly).
/// </summary>
public static class EntraClaims
{
    /// <summary>The token claim that says an access token is app-only (an optional claim the API's registration asks for).</summary>
    public const string IdentityTypeClaim = "idtyp";

    /// <summary>The claims the app derives and a token must never bring itself.</summary>
    private static readonly string[] OwnClaims = [Roles.PartnerClaim, ClaimTypes.Role, ApiKeyAuthenticationHandler.KeyIdClaim];

    /// <summary>
    /// Adds the partner id and the app's roles to a validated token's identity. The partner role
    /// goes only to app-only tokens (<c>idtyp</c> <c>app</c> and no <c>scp</c>): the partner is
    /// the calling application, so a person signed in through that application (a delegated token,
    /// perhaps through a client many share) is not the partner, whatever roles they hold. The admin
    /// role is assigned to people on purpose and comes from either kind of token.
    /// </summary>
    public static void Apply(ClaimsPrincipal principal, EntraOptions options)
    {
        if (principal.Identity is not ClaimsIdentity identity)
        {
            return;
        }

        foreach (var claim in identity.Claims.Where(c => OwnClaims.Contains(c.Type, StringComparer.Ordinal)).ToList())
        {
            identity.RemoveClaim(claim);
        }

        // Exactly as configured: role values are case-sensitive, and the app's own role names
        // ("partner", "admin") in a token mean nothing (they live in another claim type).
        var roles = principal.FindAll("roles").Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var app = principal.FindFirstValue("azp") ?? principal.FindFirstValue("appid");
        if (app is not null)
        {
            identity.AddClaim(new Claim(Roles.PartnerClaim, options.Partners.GetValueOrDefault(app, app)));
        }

        if (IsAppOnly(principal) && roles.Contains(options.PartnerRole))
        {
            identity.AddClaim(new Claim(ClaimTypes.Role, Roles.Partner));
        }

        if (roles.Contains(options.AdminRole))
        {
            identity.AddClaim(new Claim(ClaimTypes.Role, Roles.Admin));
        }
    }

    /// <summary>
    /// An app-only token (client credentials): <c>idtyp</c> is <c>app</c> and it carries no
    /// delegated scopes (<c>scp</c>). Without the optional claim nothing proves it, so it is not.
    /// </summary>
    public static bool IsAppOnly(ClaimsPrincipal principal) =>
        string.Equals(principal.FindFirstValue(IdentityTypeClaim), "app", StringComparison.Ordinal)
        && !principal.HasClaim(c => c.Type is "scp" or "http://schemas.microsoft.com/identity/claims/scope");

    /// <summary>The options, for the bearer events.</summary>
    public static EntraOptions Of(IServiceProvider services) => services.GetRequiredService<IOptions<AuthOptions>>().Value.Entra;
}
