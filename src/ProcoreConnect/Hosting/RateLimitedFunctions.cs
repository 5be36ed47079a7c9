using ProcoreConnect.Extensions;
using ProcoreConnect.Security;

namespace ProcoreConnect.Hosting;

/// <summary>
/// The rate-limited functions (<see cref="RateLimiting"/>) and whom each call is charged to: the
/// calls that write secrets to Key Vault, call Procore or start a sign-in. Kept here, by function
/// name, rather than on each line of <see cref="FunctionCatalog"/>. Not the token API (the hot
/// path; its Procore calls are single-flight and honour Procore's own limits) and not health
/// (cached); its forced refresh is, since every call of it spends a refresh.
/// </summary>
public static class RateLimitedFunctions
{
    /// <summary>Each limited function, by its name in the function table, and its budget.</summary>
    public static IReadOnlyDictionary<string, RateLimited> ByName { get; } = new Dictionary<string, RateLimited>(StringComparer.Ordinal)
    {
        ["PutConnection"] = RateLimited.PerPartner,             // revoke at Procore, write and delete secrets
        ["DeleteConnection"] = RateLimited.PerPartner,
        ["PutOAuthClient"] = RateLimited.PerPartner,            // client secrets; a rotation proves the secret at Procore
        ["DeleteOAuthClient"] = RateLimited.PerPartner,
        ["RotateOAuthClientSecret"] = RateLimited.PerPartner,
        ["ListInstalledCompanies"] = RateLimited.PerPartner,    // Procore's companies list with the client's token
        ["CreateCompanyWorkspaces"] = RateLimited.PerPartner,
        ["Connect"] = RateLimited.PerPartner,                   // a stored OAuth state, a code exchange to follow
        ["CreateConnectLink"] = RateLimited.PerPartner,         // a stored link, each a way into a sign-in
        ["StartConnectLink"] = RateLimited.PerLink("token"),    // anonymous: a stored OAuth state, a code exchange to follow
        ["ValidateConnection"] = RateLimited.PerPartner,        // Procore API calls
        ["ListKnownProjects"] = RateLimited.PerPartner,
        ["RefreshToken"] = RateLimited.PerPartner,              // a refresh at Procore and a secret write on every call
        ["ConfigureProcoreWebhook"] = RateLimited.PerPartner,   // hook and signing secrets
        ["SetPartnerWebhook"] = RateLimited.PerPartner,
        ["DeletePartnerWebhook"] = RateLimited.PerPartner,
    };

    /// <summary>The names, as in the function table.</summary>
    public static IReadOnlySet<string> Names { get; } = ByName.Keys.ToHashSet(StringComparer.Ordinal);
}
