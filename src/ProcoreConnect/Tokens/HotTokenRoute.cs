namespace ProcoreConnect.Tokens;

/// <summary>Endpoint metadata marking the token API route that <see cref="HotTokenLane"/> may answer.</summary>
public sealed class HotTokenRoute
{
    /// <summary>The one instance.</summary>
    public static readonly HotTokenRoute Instance = new();

    private HotTokenRoute()
    {
    }
}
