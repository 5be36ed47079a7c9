namespace ProcoreConnect.Security;

/// <summary>The app's roles and policies.</summary>
public static class Roles
{
    /// <summary>A partner platform: sees and changes its own workspaces.</summary>
    public const string Partner = "partner";

    /// <summary>Administers partner keys.</summary>
    public const string Admin = "admin";

    /// <summary>A partner (its own OAuth clients) or an admin (the public ones).</summary>
    public const string PartnerOrAdmin = "partner-or-admin";

    /// <summary>The claim carrying the partner id.</summary>
    public const string PartnerClaim = "partner_id";

    /// <summary>The policy scheme that picks API key or bearer authentication from the request.</summary>
    public const string Scheme = "PartnerOrBearer";
}
