namespace ProcoreConnect.Clients;

/// <summary>How an OAuth client obtains tokens. Wire names: authorization_code, client_credentials.</summary>
public enum AuthFlow
{
    /// <summary>A person consents in the browser; each workspace keeps a refresh token of its own.</summary>
    AuthorizationCode,

    /// <summary>A Developer Managed Service Account: one token per client and environment, shared by its workspaces.</summary>
    ClientCredentials,
}
