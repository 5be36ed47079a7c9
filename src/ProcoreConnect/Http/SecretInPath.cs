namespace ProcoreConnect.Http;

/// <summary>
/// Endpoint metadata: the route's values are secrets (a connect link's token is its URL), so
/// logs and traces name the route template, never the path that was requested.
/// </summary>
public sealed class SecretInPath
{
    /// <summary>The one instance.</summary>
    public static SecretInPath Instance { get; } = new();

    private SecretInPath()
    {
    }

    /// <summary>True when the request's endpoint carries this marker.</summary>
    public static bool Marks(HttpContext context) =>
        context?.GetEndpoint()?.Metadata.GetMetadata<SecretInPath>() is not null;

    /// <summary>The request's path as logs may show it: the route template where the path holds a secret.</summary>
    public static string LoggablePath(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Marks(context) && context.GetEndpoint() is RouteEndpoint endpoint
            ? "/" + endpoint.RoutePattern.RawText?.TrimStart('/')
            : context.Request.Path.ToString();
    }
}
