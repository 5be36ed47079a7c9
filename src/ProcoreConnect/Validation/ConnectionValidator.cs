using System.Text.Json;
using ProcoreConnect.Clients;
using ProcoreConnect.Procore;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Validation;

/// <summary>
/// Checks a connection the way Procore's docs advise: get a token, call <c>/rest/v1.0/me</c> and
/// <c>/rest/v1.0/companies</c> (with <c>Procore-Company-Id</c>, which a DMSA needs even there), and
/// look for the configured CompanyId; for a DMSA, count the projects the app may see. Name the fix
/// when something is wrong.
/// </summary>
public sealed class ConnectionValidator(
    WorkspaceRepository workspaces,
    TokenReader tokens,
    CompanyAccess access,
    ProcoreApiClient api,
    TimeProvider time,
    ILogger<ConnectionValidator> logger)
{
    /// <summary>Validates the workspace.</summary>
    public async Task<ValidationReport> ValidateAsync(WorkspaceRef workspaceRef, CancellationToken cancellationToken)
    {
        var checks = new List<ValidationCheck>();
        var workspace = await workspaces.FindVisibleAsync(workspaceRef, cancellationToken);
        var outcome = await tokens.GetTokenAsync(workspaceRef, cancellationToken);
        if (workspace is null || outcome.Token is null)
        {
            checks.Add(new ValidationCheck("token", false, null, outcome.Detail ?? outcome.Status.ToString()));
            return Report(workspaceRef.Id, checks, fix: TokenFix(workspaceRef.Id, outcome));
        }

        checks.Add(new ValidationCheck("token", true, null, $"Access token valid until {outcome.Token.ExpiresAt:u}."));
        var token = outcome.Token.AccessToken;

        var me = await api.GetAsync(workspace.Environment, token, workspace.CompanyId, "rest/v1.0/me", cancellationToken);
        checks.Add(new ValidationCheck("me", me.Status == 200, me.Status, me.Status == 200 ? "Procore identified the token's user." : Describe(me)));
        if (me.Status != 200)
        {
            return Report(workspace.Id, checks, fix: ApiFix(me, workspace));
        }

        var companies = await api.GetAsync(workspace.Environment, token, workspace.CompanyId, "rest/v1.0/companies", cancellationToken);
        if (companies.Status != 200)
        {
            checks.Add(new ValidationCheck("companies", false, companies.Status, Describe(companies)));
            return Report(workspace.Id, checks, fix: ApiFix(companies, workspace));
        }

        // A public client-credentials token sees every company that installed the app: a partner is shown its granted ones only.
        var visible = (await access.ScopeAsync(workspace.Client, workspace.AuthFlow, workspace.PartnerId, cancellationToken)).Filter(ProcoreCompanies.Parse(companies.Body), workspace.Environment);
        checks.Add(new ValidationCheck("companies", true, 200, $"{visible.Count} compan{(visible.Count == 1 ? "y" : "ies")} visible."));
        var found = visible.Any(c => c.Id == workspace.CompanyId);
        checks.Add(new ValidationCheck("company", found, null, found
            ? $"Company {workspace.CompanyId} is visible."
            : $"Company {workspace.CompanyId} is not among the visible companies."));
        if (!found)
        {
            return Report(workspace.Id, checks, CompanyFix(workspace), visible);
        }

        int? permitted = null;
        string? fix = null;
        if (workspace.AuthFlow == AuthFlow.ClientCredentials)
        {
            (permitted, fix) = await CheckPermittedProjectsAsync(workspace, token, checks, cancellationToken);
        }

        logger.LogInformation("Validated workspace {WorkspaceId}: company visible, {Projects} permitted projects", workspace.Id, permitted);
        return Report(workspace.Id, checks, fix, visible, companyVisible: true, permitted);
    }

    // A DMSA sees only the projects its company's admin permitted; with none, every project call is empty.
    private async Task<(int? Count, string? Fix)> CheckPermittedProjectsAsync(
        Workspace workspace, string token, List<ValidationCheck> checks, CancellationToken cancellationToken)
    {
        var projects = await api.GetAsync(
            workspace.Environment, token, workspace.CompanyId, $"rest/v1.0/projects?company_id={workspace.CompanyId}", cancellationToken);
        if (projects is not { Status: 200, Body: { ValueKind: JsonValueKind.Array } list })
        {
            checks.Add(new ValidationCheck("projects", false, projects.Status, Describe(projects)));
            return (null, ApiFix(projects, workspace));
        }

        var count = list.GetArrayLength();
        checks.Add(new ValidationCheck("projects", count > 0, 200, count == 0
            ? "The app may see no project in this company."
            : $"The app may see {count} project{(count == 1 ? "" : "s")} in this company."));
        return (count, count > 0 ? null
            : $"The app is installed in company {workspace.CompanyId} but has no permitted projects: in Procore, Company Admin › App Management › "
              + "the app › Permitted Projects, add the projects it should sync. Permitted projects must be set again after each app update or "
              + "reinstall, and projects created later are not added on their own.");
    }

    private ValidationReport Report(
        string workspaceId, List<ValidationCheck> checks, string? fix, IReadOnlyList<ProcoreCompany>? visible = null, bool companyVisible = false,
        int? permittedProjects = null) => new()
    {
        WorkspaceId = workspaceId,
        Ok = fix is null && checks.All(c => c.Ok),
        CompanyVisible = companyVisible,
        Checks = checks,
        VisibleCompanies = visible ?? [],
        PermittedProjects = permittedProjects,
        Fix = fix,
        CheckedAt = time.GetUtcNow(),
    };

    private static string? TokenFix(string id, TokenOutcome outcome) => outcome.Status switch
    {
        TokenStatus.NotFound => "The workspace does not exist.",
        TokenStatus.GrantRevoked => outcome.Detail,
        TokenStatus.NotConnected => Tokens.TokenEligibility.NotConnectedDetail(id),
        TokenStatus.NeedsReauthorization => "Procore revoked or expired the connection: connect the workspace again in a browser.",
        TokenStatus.InvalidClient => (outcome.Detail is { } detail ? detail + " " : "")
            + "Copy the client id and secret again from the app's page in the Procore Developer Portal (sandbox and production have "
            + "different credentials) and update the OAuth client.",
        _ => "Procore could not be reached; retry later.",
    };

    private static string CompanyFix(Workspace workspace) => workspace.AuthFlow == AuthFlow.ClientCredentials
        ? $"The app is not installed in company {workspace.CompanyId} ({Common.WireName.Of(workspace.Environment)}): a company admin installs it from "
          + "the Procore App Marketplace, or as a custom install with the app's App Version Key (Company Admin › App Management › Install App). "
          + "Check also the companyId and that the environment matches where the company lives."
        : $"Company {workspace.CompanyId} is not visible to the signed-in user in {Common.WireName.Of(workspace.Environment)}. "
          + "Check the companyId, that the user belongs to that company, and that the environment matches where the company lives "
          + "(sandbox companies are not visible with production credentials).";

    private static string ApiFix(ProcoreApiResponse response, Workspace workspace) => response.Status switch
    {
        401 => "Procore no longer accepts the token: the app was uninstalled or its access revoked. Reinstall or reconnect the workspace.",
        403 when workspace.AuthFlow == AuthFlow.ClientCredentials =>
            $"The token is valid but Procore refused the call in company {workspace.CompanyId}: the app is not installed there, or its "
            + "manifest lacks the permission. Check Company Admin › App Management in that company (reinstall after an app update).",
        403 => $"The token is valid but has no permission in company {workspace.CompanyId}: the signed-in user needs access to the tools "
            + "the app uses (Company Admin › Directory › the user's permissions).",
        429 => "Procore's rate limit is exhausted" + (response.RetryAt is { } at ? $" until {at:u}" : "") + "; retry after that.",
        0 => "Procore's API could not be reached; retry later.",
        _ => $"Procore answered {response.Status}; retry later or contact Procore support.",
    };

    private static string Describe(ProcoreApiResponse response) => response.Status switch
    {
        0 => "Procore could not be reached.",
        401 => "401 Unauthorized: the token was refused.",
        403 => "403 Forbidden: the token has no permission.",
        429 => "429 Too Many Requests: rate limited" + (response.RetryAt is { } at ? $" until {at:u}." : "."),
        _ => $"HTTP {response.Status}.",
    };
}
