using System.Text.Json;
using ProcoreConnect.Procore;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Validation;

/// <summary>
/// Checks a connection the way Procore's docs advise: get a token, call <c>/rest/v1.0/me</c> and
/// <c>/rest/v1.0/companies</c>, and look for the configured CompanyId; name the fix when not.
/// </summary>
public sealed class ConnectionValidator(
    WorkspaceRepository workspaces,
    TokenService tokens,
    ProcoreApiClient api,
    TimeProvider time,
    ILogger<ConnectionValidator> logger)
{
    /// <summary>Validates the workspace; null when it does not exist.</summary>
    public async Task<ValidationReport> ValidateAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var checks = new List<ValidationCheck>();
        var workspace = await workspaces.FindAsync(workspaceId, cancellationToken);
        var outcome = await tokens.GetTokenAsync(workspaceId, cancellationToken);
        if (workspace is null || outcome.Token is null)
        {
            checks.Add(new ValidationCheck("token", false, null, outcome.Detail ?? outcome.Status.ToString()));
            return Report(workspaceId, checks, fix: TokenFix(outcome));
        }

        checks.Add(new ValidationCheck("token", true, null, $"Access token valid until {outcome.Token.ExpiresAt:u}."));
        var token = outcome.Token.AccessToken;

        var me = await api.GetAsync(workspace.Environment, token, workspace.CompanyId, "rest/v1.0/me", cancellationToken);
        checks.Add(new ValidationCheck("me", me.Status == 200, me.Status, me.Status == 200 ? "Procore identified the token's user." : Describe(me.Status)));
        if (me.Status != 200)
        {
            return Report(workspaceId, checks, fix: ApiFix(me.Status, workspace));
        }

        var companies = await api.GetAsync(workspace.Environment, token, workspace.CompanyId, "rest/v1.0/companies", cancellationToken);
        if (companies.Status != 200)
        {
            checks.Add(new ValidationCheck("companies", false, companies.Status, Describe(companies.Status)));
            return Report(workspaceId, checks, fix: ApiFix(companies.Status, workspace));
        }

        var visible = ParseCompanies(companies.Body);
        checks.Add(new ValidationCheck("companies", true, 200, $"{visible.Count} compan{(visible.Count == 1 ? "y" : "ies")} visible."));
        var found = visible.Any(c => c.Id == workspace.CompanyId);
        checks.Add(new ValidationCheck("company", found, null, found
            ? $"Company {workspace.CompanyId} is visible."
            : $"Company {workspace.CompanyId} is not among the visible companies."));
        var fix = found ? null : $"Company {workspace.CompanyId} is not visible to this app in {Common.WireName.Of(workspace.Environment)}. "
            + "Check the companyId, install the app in that company (Company Admin > App Management), and make sure the environment matches "
            + "where the company lives (sandbox companies are not visible with production credentials).";
        logger.LogInformation("Validated workspace {WorkspaceId}: company visible {Visible}", workspaceId, found);
        return Report(workspaceId, checks, fix, visible, found);
    }

    private ValidationReport Report(
        string workspaceId, List<ValidationCheck> checks, string? fix, IReadOnlyList<VisibleCompany>? visible = null, bool companyVisible = false) => new()
    {
        WorkspaceId = workspaceId,
        Ok = fix is null && checks.All(c => c.Ok),
        CompanyVisible = companyVisible,
        Checks = checks,
        VisibleCompanies = visible ?? [],
        Fix = fix,
        CheckedAt = time.GetUtcNow(),
    };

    private static string? TokenFix(TokenOutcome outcome) => outcome.Status switch
    {
        TokenStatus.NotFound => "The workspace does not exist.",
        TokenStatus.NotConnected => "Connect the workspace: open /api/workspaces/{id}/connect in a browser and sign in to Procore.",
        TokenStatus.NeedsReauthorization => "Procore revoked or expired the connection: connect the workspace again in a browser.",
        TokenStatus.InvalidClient => "Procore refused the client id or secret: copy them again from the app's page in the Procore Developer Portal "
            + "(sandbox and production have different credentials) and update the connection.",
        _ => "Procore could not be reached; retry later.",
    };

    private static string ApiFix(int status, Workspace workspace) => status switch
    {
        401 => "Procore no longer accepts the token: the app was uninstalled or its access revoked. Reinstall or reconnect the workspace.",
        403 => $"The token is valid but has no permissions: in Procore, Company Admin > App Management, grant the app's service account "
            + $"tool permissions in company {workspace.CompanyId} (a service account created without permissions gets tokens but every call is refused).",
        429 => "Procore's rate limit for this token is exhausted; retry after the time in X-Rate-Limit-Reset.",
        0 => "Procore's API could not be reached; retry later.",
        _ => $"Procore answered {status}; retry later or contact Procore support.",
    };

    private static string Describe(int status) => status switch
    {
        0 => "Procore could not be reached.",
        401 => "401 Unauthorized: the token was refused.",
        403 => "403 Forbidden: the token has no permission.",
        429 => "429 Too Many Requests: rate limited.",
        _ => $"HTTP {status}.",
    };

    private static List<VisibleCompany> ParseCompanies(JsonElement? body) =>
        body is { ValueKind: JsonValueKind.Array } array
            ? [.. array.EnumerateArray()
                .Where(c => c.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number)
                .Select(c => new VisibleCompany(
                    c.GetProperty("id").GetInt64(),
                    c.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null))]
            : [];
}
