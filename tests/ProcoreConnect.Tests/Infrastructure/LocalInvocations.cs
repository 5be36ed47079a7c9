using ProcoreConnect.Security;

namespace ProcoreConnect.Tests.Infrastructure;

/// <summary>
/// Invokes a timer or queue function on an app run without the Functions host, where those routes
/// are the admin's: the host's payload, with the admin key in place of the client's own.
/// </summary>
public static class LocalInvocations
{
    public static Task<HttpResponseMessage> InvokeAsAdminAsync(this HttpClient client, string function, string payload)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/" + function) { Content = Json.Raw(payload) };
        // A request's own header wins over the client's default one of the same name.
        request.Headers.Add(ApiKeyAuthenticationHandler.Header, AppFactory.AdminKey);
        return client.SendAsync(request);
    }
}
