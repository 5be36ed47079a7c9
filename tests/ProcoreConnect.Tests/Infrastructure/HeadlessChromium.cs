using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace ProcoreConnect.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium, headless, driven through its own chromedriver with Selenium. Browsers cannot
/// be downloaded here, so both paths are given and Selenium Manager (which would fetch a driver)
/// never runs; <c>scripts/test.sh</c> installs the two packages (their versions always match).
/// JavaScript is off unless a test asks for it: the service's own pages must work without it (the
/// API reference page, a Scalar single-page app, is the one that needs it). A page test is:
/// <code>
/// using var browser = HeadlessChromium.Start();
/// browser.Open(new Uri(fixture.BaseAddress, "api/…"));
/// browser.SaveScreenshot("name");
/// </code>
/// </summary>
public sealed class HeadlessChromium : IDisposable
{
    /// <summary>Debian's paths; <c>CHROMIUM_BINARY</c> and <c>CHROMEDRIVER</c> point elsewhere on other systems.</summary>
    public static string Binary => Environment.GetEnvironmentVariable("CHROMIUM_BINARY") ?? "/usr/bin/chromium";

    public static string DriverPath => Environment.GetEnvironmentVariable("CHROMEDRIVER") ?? "/usr/bin/chromedriver";

    // Without the background-networking flags Chromium calls home (component updates, sync, ...),
    // which the closed network refuses; the resolver rule makes any host name but loopback fail at
    // once, so nothing the browser does can leave the machine.
    private static readonly string[] Flags =
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-proxy-server",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
        "--window-size=1000,760",
    ];

    // How long chromedriver may take to start, a command to answer, or a page to get where a test
    // waits for it: Chromium starts in seconds on an idle machine and far slower beside a build.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private readonly ChromeDriverService _service;
    private readonly ChromeDriver _driver;
    private readonly string _profile;

    private HeadlessChromium(ChromeDriverService service, ChromeDriver driver, string profile)
    {
        _service = service;
        _driver = driver;
        _profile = profile;
    }

    /// <summary>The folder screenshots go to, under the test output (printed by <c>scripts/test.sh</c>).</summary>
    public static string ScreenshotFolder => Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>The browser's driver, for what the helpers below do not cover.</summary>
    public IWebDriver Driver => _driver;

    /// <summary>Where the browser is.</summary>
    public Uri Url => new(_driver.Url);

    /// <summary>The visible text of the page.</summary>
    public string Text => _driver.FindElement(By.TagName("body")).Text;

    /// <summary>Starts a browser with a fresh profile.</summary>
    public static HeadlessChromium Start(bool javaScript = false)
    {
        if (!File.Exists(Binary) || !File.Exists(DriverPath))
        {
            throw new InvalidOperationException(
                $"Chromium is not installed ({Binary}, {DriverPath}): run scripts/test.sh, which installs Debian's chromium and chromium-driver, "
                + "or apt-get install chromium chromium-driver.");
        }

        var profile = Directory.CreateTempSubdirectory("chromium-profile-").FullName;
        var options = new ChromeOptions { BinaryLocation = Binary };
        options.AddArguments(Flags);
        options.AddArgument("--user-data-dir=" + profile);
        if (!javaScript)
        {
            options.AddUserProfilePreference("profile.managed_default_content_settings.javascript", 2);
        }

        // The browser's own log of every request, so a test can tell where a page reached.
        options.SetLoggingPreference("performance", OpenQA.Selenium.LogLevel.All);
        // And of its console, where it reports what a Content-Security-Policy refused.
        options.SetLoggingPreference(LogType.Browser, OpenQA.Selenium.LogLevel.All);
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        service.InitializationTimeout = Patience;
        try
        {
            return new HeadlessChromium(service, new ChromeDriver(service, options, Patience), profile);
        }
        catch
        {
            service.Dispose();
            Directory.Delete(profile, recursive: true);
            throw;
        }
    }

    /// <summary>Every URL the browser requested since the last call (from Chromium's performance log).</summary>
    public IReadOnlyList<Uri> RequestedUrls() =>
        _driver.Manage().Logs.GetLog("performance")
            .Select(entry => System.Text.Json.JsonDocument.Parse(entry.Message).RootElement.GetProperty("message"))
            .Where(message => message.GetProperty("method").GetString() == "Network.requestWillBeSent")
            .Select(message => new Uri(message.GetProperty("params").GetProperty("request").GetProperty("url").GetString()!))
            .ToList();

    /// <summary>The browser console's messages since the last call.</summary>
    public IReadOnlyList<string> ConsoleMessages() =>
        _driver.Manage().Logs.GetLog(LogType.Browser).Select(entry => $"{entry.Level}: {entry.Message}").ToList();

    /// <summary>Waits until <paramref name="condition"/> holds, for up to <see cref="Patience"/>.</summary>
    public void WaitUntil(Func<IWebDriver, bool> condition) =>
        new WebDriverWait(_driver, Patience).Until(condition);

    /// <summary>Navigates to <paramref name="url"/> and waits for the page to load.</summary>
    public void Open(Uri url) => _driver.Navigate().GoToUrl(url);

    /// <summary>Clicks what <paramref name="by"/> finds and waits until the browser has left the page it was on.</summary>
    public void ClickAndWait(By by)
    {
        var before = _driver.FindElement(By.TagName("html"));
        _driver.FindElement(by).Click();
        new WebDriverWait(_driver, Patience).Until(_ => IsStale(before));
    }

    /// <summary>The text of what <paramref name="by"/> finds.</summary>
    public string TextOf(By by) => _driver.FindElement(by).Text;

    /// <summary>Saves a PNG of the viewport under <see cref="ScreenshotFolder"/> and answers its path.</summary>
    public string SaveScreenshot(string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        _driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    public void Dispose()
    {
        _driver.Quit();
        _driver.Dispose();
        _service.Dispose();
        Directory.Delete(_profile, recursive: true);
    }

    private static bool IsStale(IWebElement element)
    {
        try
        {
            _ = element.Enabled;
            return false;
        }
        catch (StaleElementReferenceException)
        {
            return true;
        }
        catch (UnknownErrorException e) when (e.Message.Contains("does not belong to the document", StringComparison.Ordinal))
        {
            // Chromium's answer when the element's document has just been replaced, before it
            // reports the element stale: the browser has left the page all the same.
            return true;
        }
    }
}
