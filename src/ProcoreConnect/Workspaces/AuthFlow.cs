namespace ProcoreConnect.Workspaces;

/// <summary>How a workspace obtains tokens. Wire names: authorization_code, client_credentials.</summary>
public enum AuthFlow
{
    /// <summary>A person consents in the browser; refresh tokens keep the connection alive.</summary>
    AuthorizationCode,

    /// <summary>Service accounts and Developer Managed Service Accounts: no refresh token.</summary>
    ClientCredentials,
}
