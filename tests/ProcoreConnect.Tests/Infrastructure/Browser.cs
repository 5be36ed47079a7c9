using System.Net;
using System.Text.RegularExpressions;

namespace ProcoreConnect.Tests.Infrastructure;

/// <summary>
/// One person's browser in the code flow: follows each redirect to whichever server it names (the
/// app, the simulator on loopback), presses a connect link's button, reads the sign-in form and
/// submits it, and keeps the cookies the app sets, sending them back as a browser does. Another
/// instance is another browser, with no cookies.
/// </summary>
public sealed partial class Browser(HttpClient app, Uri simulator)
{
    private readonly HttpClient _simulator = new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = simulator };
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    /// <summary>The cookies the app set in this browser (name to value).</summary>
    public IReadOnlyDictionary<string, string> Cookies => _cookies;

    /// <summary>
    /// Has the partner start a sign-in (<c>GET …/connect</c>, with <paramref name="app"/>'s credentials), opens the
    /// connect link it redirects to, presses Connect, signs in with <paramref name="decision"/> and returns the callback's response.
    /// </summary>
    public async Task<(HttpResponseMessage Callback, Uri CallbackUrl)> ConnectAsync(string workspaceId, string decision = "allow", string? returnUrl = null)
    {
        var authorize = await StartAsync(workspaceId, returnUrl);
        return await SignInAsync(authorize, decision);
    }

    /// <summary>Has the partner start a sign-in and presses Connect on the link's page; returns Procore's authorize URL.</summary>
    public async Task<Uri> StartAsync(string workspaceId, string? returnUrl = null)
    {
        var connect = await app.GetAsync($"/api/workspaces/{workspaceId}/connect" + (returnUrl is null ? "" : "?returnUrl=" + Uri.EscapeDataString(returnUrl)));
        Assert.Equal(HttpStatusCode.Redirect, connect.StatusCode);
        var link = connect.Headers.Location!;
        Assert.StartsWith("/api/connect/", link.AbsolutePath, StringComparison.Ordinal);
        return await PressAsync(link);
    }

    /// <summary>Presses Connect on a connect link's page (a form post to the link itself); returns Procore's authorize URL.</summary>
    public async Task<Uri> PressAsync(Uri link)
    {
        var press = await SendAsync(HttpMethod.Post, link.IsAbsoluteUri ? link.PathAndQuery : link.OriginalString, new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.SeeOther, press.StatusCode);
        return press.Headers.Location!;
    }

    /// <summary>From Procore's authorize URL: reads the sign-in form, submits it with <paramref name="decision"/> and returns the callback's response.</summary>
    public async Task<(HttpResponseMessage Callback, Uri CallbackUrl)> SignInAsync(Uri authorize, string decision = "allow")
    {
        var callback = await ProcoreRedirectAsync(authorize, decision);
        return (await OpenAsync(callback), callback);
    }

    /// <summary>From Procore's authorize URL: signs in with <paramref name="decision"/> and answers where Procore sends the browser, without going there.</summary>
    public async Task<Uri> ProcoreRedirectAsync(Uri authorize, string decision = "allow")
    {
        Assert.Equal(simulator.Authority, authorize.Authority);
        var page = await _simulator.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var fields = HiddenInput().Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        fields["login"] = "admin@example.com";
        fields["password"] = "simulator";
        fields["decision"] = decision;

        var submitted = await _simulator.PostAsync("/oauth/authorize", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        return submitted.Headers.Location!;
    }

    /// <summary>Opens a URL of the app in this browser (with its cookies).</summary>
    public Task<HttpResponseMessage> OpenAsync(Uri url) => SendAsync(HttpMethod.Get, url.IsAbsoluteUri ? url.PathAndQuery : url.OriginalString, null);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string pathAndQuery, HttpContent? content)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery) { Content = content };
        if (_cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
        }

        var response = await app.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var setCookie in setCookies)
            {
                var pair = setCookie.Split(';', 2)[0].Split('=', 2);
                if (setCookie.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase) || pair[1].Length == 0)
                {
                    _cookies.Remove(pair[0]);
                }
                else
                {
                    _cookies[pair[0]] = pair[1];
                }
            }
        }

        return response;
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]*)\" value=\"(?<value>[^\"]*)\">")]
    private static partial Regex HiddenInput();
}
