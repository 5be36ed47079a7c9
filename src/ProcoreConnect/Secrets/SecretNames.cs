namespace ProcoreConnect.Secrets;

/// <summary>
/// Secret names for a workspace. Key Vault allows 1-127 characters of letters, digits and '-';
/// ids are at most 64 characters, so every name here fits.
/// </summary>
public static class SecretNames
{
    /// <summary>A fresh random prefix for a new workspace's secrets.</summary>
    public static string NewPrefix(string workspaceId) =>
        $"ws-{workspaceId}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4))}";

    /// <summary>The client secret's name.</summary>
    public static string ClientSecret(string prefix) => prefix + "-client-secret";

    /// <summary>The tokens' name: the refresh token and the access token, one version per grant.</summary>
    public static string Tokens(string prefix) => prefix + "-tokens";

    /// <summary>Every secret name a workspace may own.</summary>
    public static IReadOnlyList<string> All(string prefix) => [ClientSecret(prefix), Tokens(prefix)];
}
