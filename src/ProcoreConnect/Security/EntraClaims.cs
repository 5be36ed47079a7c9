using System.Security.Claims;
using Microsoft.Extensions.Options;

namespace ProcoreConnect.Security;

/// <summary>Maps an Entra ID token's app roles and calling application onto the app's partner claims.</summary>
public static class EntraClaims
{
    /// <summary>Adds the partner id and the app's roles to a validated token's identity.</summary>
    public static void Apply(ClaimsPrincipal principal, EntraOptions options)
    {
        if (principal.Identity is not ClaimsIdentity identity)
        {
            return;
        }

        var roles = principal.FindAll("roles").Concat(principal.FindAll(ClaimTypes.Role)).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var app = principal.FindFirstValue("azp") ?? principal.FindFirstValue("appid");
        if (app is not null)
        {
            identity.AddClaim(new Claim(Roles.PartnerClaim, options.Partners.GetValueOrDefault(app, app)));
        }

        if (roles.Contains(options.PartnerRole))
        {
            identity.AddClaim(new Claim(identity.RoleClaimType, Roles.Partner));
        }

        if (roles.Contains(options.AdminRole))
        {
            identity.AddClaim(new Claim(identity.RoleClaimType, Roles.Admin));
        }
    }

    /// <summary>The options, for the bearer events.</summary>
    public static EntraOptions Of(IServiceProvider services) => services.GetRequiredService<IOptions<AuthOptions>>().Value.Entra;
}
