using ProcoreConnect.Procore;

namespace ProcoreConnect.Clients;

/// <summary>A company where a DMSA app is installed, and the caller's workspaces mapped to it.</summary>
public sealed record InstalledCompany(long CompanyId, string? Name, bool IsActive, IReadOnlyList<string> WorkspaceIds);

/// <summary>The answer of <c>GET /api/oauth-clients/{name}/companies</c>.</summary>
public sealed record InstalledCompaniesResponse(
    [property: System.Text.Json.Serialization.JsonPropertyName("oauthClient")] string OAuthClient, ProcoreEnvironment Environment, IReadOnlyList<InstalledCompany> Companies);

/// <summary>The body of <c>POST /api/oauth-clients/{name}/companies</c>.</summary>
public sealed record CreateCompanyWorkspacesRequest
{
    /// <summary>The environment the app is installed in.</summary>
    [Common.WireValues(typeof(ProcoreEnvironment))]
    public string? Environment { get; init; }

    /// <summary>The companies to create workspaces for; absent: every installed company with no workspace yet.</summary>
    public IReadOnlyList<long>? CompanyIds { get; init; }

    /// <summary>Workspace ids are this prefix and the company id (default <c>procore-</c>).</summary>
    public string? WorkspaceIdPrefix { get; init; }

    /// <summary>A company where the app is installed, for Procore's <c>Procore-Company-Id</c> (default: one of the client's workspaces').</summary>
    public long? CompanyId { get; init; }
}

/// <summary>What happened for one company of a bulk create.</summary>
public sealed record CompanyWorkspaceResult(long CompanyId, string? WorkspaceId, CompanyWorkspaceOutcome Outcome, string? Detail = null);

/// <summary>The outcome for one company. Wire names: created, already_mapped, not_installed, id_taken, failed.</summary>
public enum CompanyWorkspaceOutcome
{
    /// <summary>A workspace was created.</summary>
    Created,

    /// <summary>A workspace on this client and environment already works in the company.</summary>
    AlreadyMapped,

    /// <summary>The app is not installed in the company.</summary>
    NotInstalled,

    /// <summary>The workspace id is taken by another workspace of the caller's.</summary>
    IdTaken,

    /// <summary>The create failed; see the detail.</summary>
    Failed,
}

/// <summary>The answer of <c>POST /api/oauth-clients/{name}/companies</c>: one result per company.</summary>
public sealed record CreateCompanyWorkspacesResponse(
    [property: System.Text.Json.Serialization.JsonPropertyName("oauthClient")] string OAuthClient, ProcoreEnvironment Environment, IReadOnlyList<CompanyWorkspaceResult> Results);
