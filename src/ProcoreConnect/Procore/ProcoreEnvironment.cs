namespace ProcoreConnect.Procore;

/// <summary>Which Procore a workspace talks to. Wire names: production, sandbox, monthly.</summary>
public enum ProcoreEnvironment
{
    /// <summary>login.procore.com / api.procore.com.</summary>
    Production,

    /// <summary>The development sandbox.</summary>
    Sandbox,

    /// <summary>The monthly sandbox.</summary>
    Monthly,
}
