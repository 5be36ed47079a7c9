namespace ProcoreSimulator.State;

/// <summary>An OAuth client registered with the simulator: a user-facing app or a service account.</summary>
public sealed record SimulatedClient
{
    /// <summary>The client id.</summary>
    public required string ClientId { get; init; }

    /// <summary>The client secret.</summary>
    public required string ClientSecret { get; init; }

    /// <summary>Companies the client's user or service account can see.</summary>
    public IReadOnlyList<SimulatedCompany> Companies { get; init; } = [];

    /// <summary>
    /// False reproduces a service account created without tool permissions: Procore still issues
    /// tokens, but API calls answer 403.
    /// </summary>
    public bool HasPermissions { get; init; } = true;

    /// <summary>Projects the client's app has been given access to (DMSA apps see only these).</summary>
    public IReadOnlyList<long> Projects { get; init; } = [];
}

/// <summary>A Procore company.</summary>
public sealed record SimulatedCompany(long Id, string Name);
