using ProcoreConnect.Common;
using ProcoreConnect.Procore;

namespace ProcoreConnect.Secrets;

/// <summary>
/// Secret names. Key Vault allows 1-127 characters of letters, digits and '-'; ids and names are
/// at most 64 characters, so every name here fits.
/// </summary>
public static class SecretNames
{
    /// <summary>A fresh random prefix for a new OAuth client's secrets.</summary>
    public static string NewClientPrefix(string clientName) =>
        $"oc-{clientName}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8))}";

    /// <summary>An OAuth client's secret.</summary>
    public static string ClientSecret(string clientPrefix) => clientPrefix + "-client-secret";

    /// <summary>A client-credentials client's shared access token in one environment.</summary>
    public static string ClientToken(string clientPrefix, ProcoreEnvironment environment) => $"{clientPrefix}-{WireName.Of(environment)}-token";

    /// <summary>Every secret name an OAuth client may own.</summary>
    public static IReadOnlyList<string> AllOfClient(string clientPrefix) =>
        [ClientSecret(clientPrefix), .. Enum.GetValues<ProcoreEnvironment>().Select(e => ClientToken(clientPrefix, e))];

    /// <summary>A workspace's tokens: the refresh token and the access token, one version per grant.</summary>
    public static string Tokens(string workspacePrefix) => workspacePrefix + "-tokens";
}
