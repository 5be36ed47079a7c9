namespace ProcoreConnect.ProcoreCalls;

/// <summary>
/// Marks an endpoint that passes a call through to Procore: its answers are Procore's, so its
/// <c>429</c> is Procore's rate limit, not the service's own.
/// </summary>
public sealed class ProcorePassThrough
{
    /// <summary>The marker.</summary>
    public static readonly ProcorePassThrough Instance = new();

    private ProcorePassThrough()
    {
    }
}
