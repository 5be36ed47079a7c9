namespace ProcoreConnect.Procore;

/// <summary>
/// Procore's facts in one place: the base URLs of each environment (Procore's developer docs,
/// "Sandbox Environments"). The defaults are Procore's own; only development configuration points
/// them at the simulator.
/// </summary>
public sealed class ProcoreOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Procore";

    /// <summary>login.procore.com / api.procore.com.</summary>
    public ProcoreEndpointsOptions Production { get; set; } = new(new Uri("https://login.procore.com"), new Uri("https://api.procore.com"));

    /// <summary>The development sandbox.</summary>
    public ProcoreEndpointsOptions Sandbox { get; set; } = new(new Uri("https://login-sandbox.procore.com"), new Uri("https://sandbox.procore.com"));

    /// <summary>
    /// The monthly sandbox: it takes the production app's credentials. Its API is
    /// api-monthly.procore.com; api-sandbox-monthly.procore.com is only its browser host.
    /// </summary>
    public ProcoreEndpointsOptions Monthly { get; set; } = new(new Uri("https://login-sandbox-monthly.procore.com"), new Uri("https://api-monthly.procore.com"));

    /// <summary>
    /// Procore for Government's Federal Zone (FedRAMP Moderate): a separate environment with its own
    /// developer portal, app registrations and credentials, and no sandboxes (Procore's developer
    /// docs, "Procore's Federal Environment").
    /// </summary>
    public ProcoreEndpointsOptions Federal { get; set; } = new(new Uri("https://login.procoregov.com"), new Uri("https://api.procoregov.com"));

    /// <summary>The endpoints of an environment.</summary>
    public ProcoreEndpointsOptions For(ProcoreEnvironment environment) => environment switch
    {
        ProcoreEnvironment.Production => Production,
        ProcoreEnvironment.Sandbox => Sandbox,
        ProcoreEnvironment.Monthly => Monthly,
        ProcoreEnvironment.Federal => Federal,
        _ => throw new ArgumentOutOfRangeException(nameof(environment)),
    };
}
