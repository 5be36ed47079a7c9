using Microsoft.Extensions.Options;

namespace ProcoreConnect.Hosting;

/// <summary>The URLs the service hands out, all from the configured public base URL.</summary>
public sealed class PublicUrls(IOptions<PublicUrlOptions> options)
{
    private Uri Base => options.Value.PublicBaseUrl.AbsoluteUri.EndsWith('/') ? options.Value.PublicBaseUrl : new Uri(options.Value.PublicBaseUrl.AbsoluteUri + "/");

    /// <summary>The OAuth callback: the <c>redirect_uri</c> when a client has none of its own.</summary>
    public Uri Callback => new(Base, "api/oauth/callback");

    /// <summary>A connect link's page: the token is the whole credential, so this URL is shown once, to the partner that made it.</summary>
    public Uri ConnectLink(string token) => new(Base, "api/connect/" + Uri.EscapeDataString(token));

    /// <summary>Where Procore delivers a workspace's hook.</summary>
    public Uri WebhookDelivery(string workspaceKey) => new(Base, "api/webhooks/procore/" + Uri.EscapeDataString(workspaceKey));
}
