using ProcoreConnect.Security;

namespace ProcoreConnect.Tests.Infrastructure;

/// <summary>
/// The app on Kestrel on a real loopback port, for callers that need a socket (a browser, a test
/// double of the Functions host); the in-process test server has none. Its public base URL is
/// that origin, so the URLs it hands out (connect links, the OAuth callback) lead back to it.
/// </summary>
public class KestrelAppFixture : ProcoreFixture
{
    public int Port { get; } = FreePort.Next();

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    protected override IDictionary<string, string?> ExtraSettings
    {
        get
        {
            var settings = base.ExtraSettings;
            settings["Service:PublicBaseUrl"] = $"http://127.0.0.1:{Port}";
            return settings;
        }
    }

    /// <summary>A new browser (no cookies yet), over the socket, whose partner is the default one.</summary>
    public override Browser Browser()
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, App.PartnerKey(AppFactory.DefaultPartner));
        return new Browser(client, Simulator.BaseUrl);
    }

    protected override HttpClient Start(AppFactory app)
    {
        app.UseKestrel(Port);
        app.StartServer();

        // For the tests' own setup, straight to the app: a partner, no redirects followed.
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, app.PartnerKey(AppFactory.DefaultPartner));
        return client;
    }
}
