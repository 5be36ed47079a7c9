namespace ProcoreConnect.ProcoreCalls;

/// <summary>
/// Marks an endpoint that passes a call through to Procore: its answers are Procore's, and its
/// <see cref="PathParameter"/> is Procore's path, slashes and all.
/// </summary>
public sealed class ProcorePassThrough
{
    /// <summary>The marker.</summary>
    public static readonly ProcorePassThrough Instance = new();

    /// <summary>The route parameter that holds Procore's path.</summary>
    public const string PathParameter = "path";

    /// <summary>What the path parameter holds, for the API document.</summary>
    public const string PathDescription =
        "Procore's path below its API base, slashes as they are, e.g. `rest/v1.0/projects`. Encode each segment's own reserved characters, "
        + "never the slashes between segments (the service refuses `%2F`): the C# client does this by itself, the TypeScript client's "
        + "`createProcoreConnectClient` too. The query goes on as sent.";

    private ProcorePassThrough()
    {
    }
}
