using System.Security.Claims;

namespace ProcoreConnect.Security;

/// <summary>Who is calling, as the endpoints need it.</summary>
public static class Caller
{
    /// <summary>The caller's partner id (null for anonymous calls).</summary>
    public static string? PartnerId(this ClaimsPrincipal user) => user.FindFirstValue(Roles.PartnerClaim);

    /// <summary>
    /// Whose OAuth clients the caller manages: a partner its own, an admin the public ones. Null
    /// for anyone else.
    /// </summary>
    public static string? ClientOwner(this ClaimsPrincipal user) =>
        user.IsInRole(Roles.Partner) ? user.PartnerId()
        : user.IsInRole(Roles.Admin) ? Clients.OAuthClientRef.PublicOwner
        : null;

    /// <summary>Who to name in the audit log: the partner, and the key or app it used.</summary>
    public static string Actor(this ClaimsPrincipal user) =>
        user.PartnerId() is { } partner ? $"{partner} ({user.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim) ?? "entra"})" : "anonymous";
}
