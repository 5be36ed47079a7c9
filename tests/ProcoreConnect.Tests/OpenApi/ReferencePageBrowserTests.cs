using OpenQA.Selenium;
using ProcoreConnect.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ProcoreConnect.Tests.OpenApi;

/// <summary>
/// The API reference page in a real browser (headless Chromium with JavaScript, since Scalar renders
/// the document client-side): it renders the operations of <c>/api/openapi.json</c> and asks
/// nothing of any host but the service.
/// </summary>
[Slow(SlowKind.Browser)]
public sealed class ReferencePageBrowserTests(KestrelAppFixture fixture, ITestOutputHelper output) : IClassFixture<KestrelAppFixture>
{
    [Fact]
    public void The_reference_page_renders_the_document_from_the_service_alone()
    {
        using var browser = HeadlessChromium.Start(javaScript: true);

        browser.Open(new Uri(fixture.BaseAddress, "api/reference/"));
        // The title and the first tag's operations (Scalar shows the others folded): the page
        // fetched the document and rendered it.
        browser.WaitUntil(_ => browser.Text.Contains("Procore Connect", StringComparison.Ordinal)
            && browser.Text.Contains("List the caller's workspaces", StringComparison.Ordinal)
            && browser.Text.Contains("Create or update a workspace's connection", StringComparison.Ordinal)
            && browser.Text.Contains("The caller's workspaces and OAuth clients that need a person", StringComparison.Ordinal));
        output.WriteLine("screenshot: " + browser.SaveScreenshot("api-reference"));

        var requested = browser.RequestedUrls().Where(u => u.Scheme is "http" or "https").ToList();
        Assert.Contains(requested, u => u.AbsolutePath == "/api/openapi.json");
        Assert.All(requested, u => Assert.Equal(fixture.BaseAddress.Authority, u.Authority));
    }
}
