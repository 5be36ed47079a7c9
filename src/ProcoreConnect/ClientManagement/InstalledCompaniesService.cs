using ProcoreConnect.Clients;
using ProcoreConnect.Common;
using ProcoreConnect.Procore;
using ProcoreConnect.Tokens;
using ProcoreConnect.WorkspaceConnections;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.ClientManagement;

/// <summary>
/// The companies where a DMSA app is installed, as Procore lists them for the app's token, beside
/// the caller's workspaces mapped to each; and workspaces created for them in one call.
/// </summary>
public sealed class InstalledCompaniesService(
    WorkspaceRepository workspaces,
    WorkspaceConnectionService connections,
    ClientTokenService clientTokens,
    ProcoreApiClient api,
    Audit.AuditLog audit,
    TimeProvider time)
{
    /// <summary>The default workspace id prefix of a bulk create.</summary>
    public const string DefaultPrefix = "procore-";

    /// <summary>The installed companies, or why they cannot be listed.</summary>
    public async Task<(InstalledCompaniesResponse? Companies, CompaniesProblem? Problem)> ListAsync(
        OAuthClient client, string partnerId, ProcoreEnvironment environment, long? headerCompanyId, CancellationToken cancellationToken)
    {
        if (client.AuthFlow != AuthFlow.ClientCredentials)
        {
            return (null, new CompaniesProblem(409, null, "Only a client_credentials (DMSA) client can list the companies its app is installed in."));
        }

        var mapped = new Dictionary<long, List<string>>();
        await foreach (var workspace in workspaces.ListUsingAsync(client.Ref, cancellationToken, environment))
        {
            if (workspace.PartnerId == partnerId && workspace.Status != WorkspaceStatus.Deleting)
            {
                (mapped.TryGetValue(workspace.CompanyId, out var ids) ? ids : mapped[workspace.CompanyId] = []).Add(workspace.Id);
            }
        }

        // Procore needs a company even to list companies to a DMSA.
        var headerCompany = headerCompanyId ?? (mapped.Count > 0 ? mapped.Keys.Min() : null);
        if (headerCompany is not { } companyHeader)
        {
            return (null, new CompaniesProblem(400, "companyId",
                "Procore needs the id of one company where the app is installed (Procore-Company-Id) even to list companies, and no workspace on this client names one yet: pass companyId."));
        }

        var token = await clientTokens.GetAsync(client, environment, cancellationToken);
        if (token.Token is not { } shared)
        {
            return (null, token.Status switch
            {
                TokenStatus.InvalidClient => new CompaniesProblem(409, null, token.Detail!),
                TokenStatus.Busy => new CompaniesProblem(503, null, token.Detail!),
                _ => new CompaniesProblem(502, null, token.Detail ?? "Procore's token endpoint failed; retry later."),
            });
        }

        var answer = await api.GetAsync(environment, shared.AccessToken, companyHeader, "rest/v1.0/companies", cancellationToken);
        if (answer.Status != 200)
        {
            return (null, answer.Status switch
            {
                429 => new CompaniesProblem(429, null, "Procore's rate limit for the app is exhausted; retry later.",
                    answer.RetryAt is { } at ? Http.RetryAfter.Seconds(at - time.GetUtcNow()) : null),
                401 or 403 => new CompaniesProblem(409, headerCompanyId is null ? null : "companyId",
                    $"Procore refused to list companies with Procore-Company-Id {companyHeader} ({answer.Status}): the app may not be installed there."),
                _ => new CompaniesProblem(502, null, $"Procore answered {answer.Status} listing companies; retry later."),
            });
        }

        var companies = ProcoreCompanies.Parse(answer.Body)
            .Select(c => new InstalledCompany(c.Id, c.Name, c.IsActive, mapped.TryGetValue(c.Id, out var ids) ? [.. ids.Order(StringComparer.Ordinal)] : []))
            .OrderBy(c => c.CompanyId)
            .ToList();
        return (new InstalledCompaniesResponse(client.Ref.Name, environment, companies), null);
    }

    /// <summary>
    /// Creates a workspace, <c>{prefix}{companyId}</c>, for each chosen company (or every installed
    /// one without a workspace), reporting per company what happened, each creation recorded in the
    /// workspace's audit log as <paramref name="actor"/>'s. Running it again creates nothing.
    /// </summary>
    public async Task<(CreateCompanyWorkspacesResponse? Results, CompaniesProblem? Problem)> CreateAsync(
        OAuthClient client, string partnerId, ProcoreEnvironment environment, IReadOnlyList<long>? companyIds, string prefix, long? headerCompanyId,
        string actor, CancellationToken cancellationToken)
    {
        var (listed, problem) = await ListAsync(client, partnerId, environment, headerCompanyId ?? (companyIds is [var first, ..] ? first : null), cancellationToken);
        if (listed is null)
        {
            return (null, problem);
        }

        var installed = listed.Companies.ToDictionary(c => c.CompanyId);
        var chosen = companyIds?.Distinct().ToList() ?? [.. listed.Companies.Where(c => c.WorkspaceIds.Count == 0 && c.IsActive).Select(c => c.CompanyId)];
        var results = new List<CompanyWorkspaceResult>();
        foreach (var companyId in chosen)
        {
            results.Add(await CreateOneAsync(client, partnerId, environment, prefix, companyId, installed.GetValueOrDefault(companyId), actor, cancellationToken));
        }

        return (new CreateCompanyWorkspacesResponse(client.Ref.Name, environment, results), null);
    }

    private async Task<CompanyWorkspaceResult> CreateOneAsync(
        OAuthClient client, string partnerId, ProcoreEnvironment environment, string prefix, long companyId, InstalledCompany? company, string actor,
        CancellationToken cancellationToken)
    {
        if (company is null)
        {
            return new(companyId, null, CompanyWorkspaceOutcome.NotInstalled, "Procore does not list the app as installed in this company.");
        }

        if (company.WorkspaceIds.Count > 0)
        {
            return new(companyId, company.WorkspaceIds[0], CompanyWorkspaceOutcome.AlreadyMapped);
        }

        var id = prefix + companyId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var settings = new ConnectionSettings { CompanyId = companyId, Environment = environment, OAuthClient = client.Ref.Name };
        var outcome = await connections.UpsertAsync(new WorkspaceRef(partnerId, id), settings, ifMatch: null, cancellationToken, createOnly: true);
        if (outcome is { Status: WriteStatus.Created, Value: { } created })
        {
            await audit.RecordAsync(created.Key, actor, "workspace.created", $"companyId, environment, oauthClient (installed companies of '{client.Ref.Name}')", cancellationToken);
        }

        return outcome.Status switch
        {
            WriteStatus.Created => new(companyId, id, CompanyWorkspaceOutcome.Created),
            WriteStatus.Conflict when outcome.Field == "id" => new(companyId, id, CompanyWorkspaceOutcome.IdTaken, outcome.Detail),
            _ => new(companyId, id, CompanyWorkspaceOutcome.Failed, outcome.Detail),
        };
    }
}

/// <summary>Why the installed companies could not be listed: an HTTP status, the field at fault if any, and what to do.</summary>
public sealed record CompaniesProblem(int Status, string? Field, string Detail, int? RetryAfterSeconds = null);
