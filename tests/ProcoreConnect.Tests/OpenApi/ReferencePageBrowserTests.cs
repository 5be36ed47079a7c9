using OpenQA.Selenium;
using ProcoreConnect.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ProcoreConnect.Tests.OpenApi;

/// <summary>
/// The API reference page in a real browser (headless Chromium with JavaScript, since Scalar renders
/// the document client-side): under its Content-Security-Policy it renders the operations of
/// <c>/api/openapi.json</c>, its request client sends, nothing is refused, and it asks nothing of
/// any host but the service.
/// </summary>
[Slow(SlowKind.Browser)]
public sealed class ReferencePageBrowserTests(KestrelAppFixture fixture, ITestOutputHelper output) : IClassFixture<KestrelAppFixture>
{
    [Fact]
    public void The_reference_page_renders_the_document_from_the_service_alone_within_its_policy()
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
        // Styled, not bare HTML: the styles Scalar injects were allowed (unstyled, its layout is a plain block).
        Assert.Equal("grid", browser.Driver.FindElement(By.ClassName("scalar-app")).GetCssValue("display"));

        // The page's request client opens and sends (a same-origin fetch, answered 401 without a key).
        browser.Driver.FindElement(By.XPath("//button[starts-with(normalize-space(.), 'Test Request')]")).Click();
        var send = By.XPath("//button[contains(., 'Send get request')]");
        browser.WaitUntil(_ => browser.Driver.FindElements(send).Count > 0);
        browser.Driver.FindElement(send).Click();
        browser.WaitUntil(_ => browser.Text.Contains("Unauthorized", StringComparison.Ordinal));
        output.WriteLine("screenshot: " + browser.SaveScreenshot("api-reference-client"));

        var refused = browser.ConsoleMessages().Where(m => m.Contains("Content Security Policy", StringComparison.Ordinal)).ToList();
        Assert.True(refused.Count == 0, string.Join(Environment.NewLine, refused));
        var requested = browser.RequestedUrls().Where(u => u.Scheme is "http" or "https").ToList();
        Assert.Contains(requested, u => u.AbsolutePath == "/api/openapi.json");
        Assert.Contains(requested, u => u.AbsolutePath == "/api/workspaces");
        Assert.All(requested, u => Assert.Equal(fixture.BaseAddress.Authority, u.Authority));
    }
}
