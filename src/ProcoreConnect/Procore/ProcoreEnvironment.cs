namespace ProcoreConnect.Procore;

/// <summary>Which Procore a workspace talks to. Wire names: production, sandbox, monthly, federal.</summary>
public enum ProcoreEnvironment
{
    /// <summary>login.procore.com / api.procore.com.</summary>
    Production,

    /// <summary>The development sandbox.</summary>
    Sandbox,

    /// <summary>The monthly sandbox.</summary>
    Monthly,

    /// <summary>Procore for Government's Federal Zone (FedRAMP): login.procoregov.com / api.procoregov.com, its own credentials, no sandboxes.</summary>
    Federal,
}
