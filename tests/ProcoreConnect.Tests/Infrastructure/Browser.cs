using System.Net;
using System.Text.RegularExpressions;

namespace ProcoreConnect.Tests.Infrastructure;

/// <summary>
/// Drives the code flow the way a browser does: follows each redirect to whichever server it
/// names (the app in-process, the simulator on loopback), reads the sign-in form and submits it.
/// </summary>
public sealed partial class Browser(HttpClient app, Uri simulator)
{
    private readonly HttpClient _simulator = new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = simulator };

    /// <summary>Opens the connect link, signs in with <paramref name="decision"/> and returns the callback's response.</summary>
    public async Task<(HttpResponseMessage Callback, Uri CallbackUrl)> ConnectAsync(string workspaceId, string decision = "allow", string? returnUrl = null)
    {
        var connect = await app.GetAsync($"/api/workspaces/{workspaceId}/connect" + (returnUrl is null ? "" : "?returnUrl=" + Uri.EscapeDataString(returnUrl)));
        Assert.Equal(HttpStatusCode.Redirect, connect.StatusCode);
        return await SignInAsync(connect.Headers.Location!, decision);
    }

    /// <summary>From Procore's authorize URL: reads the sign-in form, submits it with <paramref name="decision"/> and returns the callback's response.</summary>
    public async Task<(HttpResponseMessage Callback, Uri CallbackUrl)> SignInAsync(Uri authorize, string decision = "allow")
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
        var callback = submitted.Headers.Location!;
        return (await app.GetAsync(callback.PathAndQuery), callback);
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]*)\" value=\"(?<value>[^\"]*)\">")]
    private static partial Regex HiddenInput();
}
