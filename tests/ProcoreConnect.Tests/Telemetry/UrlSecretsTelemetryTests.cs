using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Telemetry;

/// <summary>
/// What telemetry keeps of request URLs that hold secrets: a connect link's token (its path) and
/// the callback's code and state (its query). See docs/security.md, "What telemetry records of request URLs".
/// </summary>
public sealed class UrlSecretsTelemetryTests
{
    [Fact]
    public void The_functions_host_records_neither_the_query_nor_the_url_of_http_requests()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "host.json")));
        var logging = host.RootElement.GetProperty("logging");
        var insights = logging.GetProperty("applicationInsights");

        // WebJobsTelemetryInitializer strips the query unless this is true; pinned, not left to the default.
        Assert.False(insights.GetProperty("enableQueryStringTracing").GetBoolean());
        // Off, the host's request telemetry is the function's alone: no URL, so no connect-link path.
        Assert.False(insights.GetProperty("httpAutoCollectionOptions").GetProperty("enableHttpTriggerExtendedInfoCollection").GetBoolean());
        // Under Core Tools the host logs each forwarded request, URL, headers and body, at Trace.
        if (logging.TryGetProperty("logLevel", out var levels))
        {
            Assert.All(levels.EnumerateObject(), l => Assert.True(l.Value.GetString() is not ("Trace" or "Debug"), l.Name));
        }
    }

    [Fact]
    public async Task The_apps_spans_and_logs_carry_no_link_token_code_or_state()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var app = AppFactory.With(new Dictionary<string, string?>
        {
            // OpenTelemetry on, as with Application Insights, and its own query redaction off, as an operator could set it.
            ["Telemetry:Console"] = "true",
            ["OTEL_DOTNET_EXPERIMENTAL_ASPNETCORE_DISABLE_URL_QUERY_REDACTION"] = "true",
        });
        var partner = app.ClientFor("partner-telemetry");
        var id = Connections.NewId();
        (await partner.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid()))).EnsureSuccessStatusCode();
        var created = await partner.PostAsync($"/api/workspaces/{id}/connect-links", null);
        var link = new Uri((await created.ReadJsonAsync()).GetProperty("url").GetString()!);
        var token = link.Segments[^1];
        var (code, state) = ("code" + Guid.NewGuid().ToString("N"), "state" + Guid.NewGuid().ToString("N"));
        var browser = app.AnonymousClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        await browser.GetAsync(link.AbsolutePath);
        await browser.PostAsync(link.AbsolutePath, null);
        await browser.GetAsync($"/api/oauth/callback?code={code}&state={state}");

        var ours = spans.Where(s => s.GetTagItem("http.route") is "/api/connect/{token}" or "/api/oauth/callback").ToList();
        Assert.Contains(ours, s => (string?)s.GetTagItem("http.route") == "/api/oauth/callback");
        Assert.Contains(ours, s => (string?)s.GetTagItem("http.route") == "/api/connect/{token}");
        var recorded = spans.SelectMany(s => s.TagObjects.Select(t => $"{t.Key}={t.Value}").Append(s.DisplayName)).ToList();
        foreach (var secret in new[] { token, code, state })
        {
            Assert.DoesNotContain(recorded, r => r.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(app.Logs.Lines, l => l.Contains(secret, StringComparison.Ordinal));
        }
    }
}
