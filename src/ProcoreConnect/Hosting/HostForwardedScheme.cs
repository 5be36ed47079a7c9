namespace ProcoreConnect.Hosting;

/// <summary>
/// Restores the scheme of the requests the Functions host forwards. The host sends each one to the
/// handler over <c>http://127.0.0.1:{port}</c> with the caller's path and headers, Host included
/// (Azure/azure-functions-host, src/WebJobs.Script/Extensions/HttpRequestExtensions.cs,
/// ToHttpRequestMessage), so the app would see <c>http://{public host}/…</c>; the site serves only
/// https (<c>httpsOnly</c> in infra/main.bicep), and a URL the app hands out (a webhook delivery
/// URL) must say so.
/// </summary>
public sealed class HostForwardedScheme(RequestDelegate next, IConfiguration configuration)
{
    private readonly bool _hosted = CustomHandlerPort.IsHostedByFunctions(configuration);

    /// <summary>Marks a request forwarded by the host as https.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        if (_hosted && context.Request.Headers.ContainsKey(FunctionEndpoints.InvocationIdHeader))
        {
            context.Request.Scheme = Uri.UriSchemeHttps;
        }

        return next(context);
    }
}
