namespace ProcoreSimulator.State;

/// <summary>
/// An OAuth client registered with the simulator: a Procore app. With the authorization code
/// grant its tokens act as a signed-in user who belongs to <see cref="Companies"/>; with client
/// credentials they act as the app's Developer Managed Service Account, which exists in each
/// company that installed the app (<see cref="Companies"/>) and sees only that company's
/// permitted projects.
/// </summary>
public sealed record SimulatedClient
{
    /// <summary>The client id.</summary>
    public required string ClientId { get; init; }

    /// <summary>The client secret.</summary>
    public required string ClientSecret { get; init; }

    /// <summary>Companies the signed-in user belongs to, or (DMSA) where the app is installed.</summary>
    public IReadOnlyList<SimulatedCompany> Companies { get; init; } = [];

    /// <summary>
    /// False reproduces an app whose user or DMSA lacks tool permissions: Procore still issues
    /// tokens, but API calls other than <c>/me</c> answer 403.
    /// </summary>
    public bool HasPermissions { get; init; } = true;
}

/// <summary>A Procore company, and the projects the app may see in it (a DMSA's permitted projects).</summary>
public sealed record SimulatedCompany(long Id, string Name, IReadOnlyList<long>? Projects = null)
{
    /// <summary>False for a company that is no longer active.</summary>
    public bool IsActive { get; init; } = true;
}
