namespace ProcoreConnect.Hosting;

/// <summary>
/// The functions rate-limited per partner (<see cref="Security.PartnerRateLimitPolicy"/>): the
/// calls that write secrets to Key Vault or call Procore. Kept here, by function name, rather than
/// on each line of <see cref="FunctionCatalog"/>. Not the token API (the hot path; its Procore
/// calls are single-flight and honour Procore's own limits) and not health (cached); its forced
/// refresh is, since every call of it spends a refresh.
/// </summary>
public static class RateLimitedFunctions
{
    /// <summary>The names, as in the function table.</summary>
    public static IReadOnlySet<string> Names { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "PutConnection", "DeleteConnection",                                // revoke at Procore, write and delete secrets
        "PutOAuthClient", "DeleteOAuthClient", "RotateOAuthClientSecret",   // client secrets; a rotation proves the secret at Procore
        "ListInstalledCompanies", "CreateCompanyWorkspaces",                // Procore's companies list with the client's token
        "Connect",                                                           // a stored OAuth state, a code exchange to follow
        "ValidateConnection", "ListKnownProjects",                          // Procore API calls
        "RefreshToken",                                                      // a refresh at Procore and a secret write on every call
        "ConfigureProcoreWebhook", "SetPartnerWebhook", "DeletePartnerWebhook", // hook and signing secrets
    };
}
