using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Kiota.Abstractions;
using ProcoreConnect.Client;
using ProcoreConnect.Client.Models;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.ClientLibraries;

/// <summary>
/// README's tour through each client library (clients/), against the service started as
/// <c>scripts/start-local.sh</c> starts it: a partner key, the webhook, an OAuth client, a workspace,
/// a connect link, a person's sign-in (the browser's part with a plain HTTP client and a cookie
/// jar, as the tour does with curl), a token, and the <c>connected</c> event. Each tour has a
/// partner and names of its own, so both run against one service.
/// </summary>
[Slow(SlowKind.Process)]
public sealed class ClientLibraryTourTests(LocalRun local) : IClassFixture<LocalRun>
{
    private const string AdminKey = "dev-admin-key";

    private string SimulatorUrl => local.Simulator.BaseUrl.GetLeftPart(UriPartial.Authority);

    [Fact]
    public async Task The_tour_runs_through_the_CSharp_client()
    {
        // 1. A partner key, made with the admin key.
        var admin = ProcoreConnectClient.Create(local.App.BaseAddress, AdminKey);
        var created = await admin.Api.Partners["csharp-platform"].Keys.PostAsync(new CreateKeyRequest { Name = "tour" });
        Assert.StartsWith("pck_", created?.Key, StringComparison.Ordinal);
        var api = ProcoreConnectClient.Create(local.App.BaseAddress, created!.Key!);

        // 2. The webhook; 3. an OAuth client; 4. a workspace on it, waiting for a sign-in.
        await api.Api.Partner.Webhook.PutAsync(new PartnerWebhookRequest { Url = $"{SimulatorUrl}/_simulator/partner-events" });
        await api.Api.OauthClients["csharp-app"].PutAsync(new OAuthClientRequest
        {
            AuthFlow = AuthFlow.Authorization_code,
            ClientId = "demo-app",
            ClientSecret = "demo-app-secret",
            DisplayName = "Acme sync",
        });
        var workspace = api.Api.Workspaces["csharp-hq"];
        var connection = await workspace.Connection.PutAsync(new ConnectionRequest { CompanyId = 1001, Environment = ProcoreEnvironment.Sandbox, OauthClient = "csharp-app" });
        Assert.Equal(WorkspaceStatus.Pending, connection?.Status);

        // 5. A connect link; 6. the person signs in through it.
        var link = await workspace.ConnectLinks.PostAsync(new ConnectLinkRequest());
        var page = await SignInAsync(new Uri(link!.Url!));
        Assert.Contains("<h1>Connected to Procore</h1>", page, StringComparison.Ordinal);

        // 7. A token, which Procore's /me accepts.
        var token = await workspace.Token.GetAsync();
        Assert.Equal(1001, token?.CompanyId);
        using var procore = new HttpClient();
        using var me = new HttpRequestMessage(HttpMethod.Get, $"{token!.ApiBaseUrl}/rest/v1.0/me");
        me.Headers.Authorization = new("Bearer", token.AccessToken);
        me.Headers.Add("Procore-Company-Id", token.CompanyId.ToString());
        using var answer = await procore.SendAsync(me);
        Assert.True(answer.IsSuccessStatusCode, $"Procore's /me answered {(int)answer.StatusCode} to the token.");
        Assert.True((await answer.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).TryGetProperty("login", out _));

        // 7. The same /me through the service's proxy, which adds the token and the company itself.
        await using (var throughProxy = await workspace.Procore["rest/v1.0/me"].GetAsync())
        {
            var proxied = await System.Text.Json.JsonSerializer.DeserializeAsync<System.Text.Json.JsonElement>(throughProxy!);
            Assert.True(proxied.TryGetProperty("login", out _), $"/me through the proxy answered {proxied}.");
        }

        // 8. The connected event.
        var events = await api.Api.Partner.Events.GetAsync();
        Assert.Contains(events!.Items!, e => e.Type == EventRecord_type.Connected && e.WorkspaceId == "csharp-hq");
    }

    [Fact]
    public async Task The_CSharp_client_raises_the_services_problem_details()
    {
        var stranger = ProcoreConnectClient.Create(local.App.BaseAddress, "pck_not_a_key");

        var refused = await Assert.ThrowsAsync<ProblemDetails>(() => stranger.Api.Partner.Events.GetAsync());

        Assert.Equal((int)HttpStatusCode.Unauthorized, refused.ResponseStatusCode);
        Assert.Equal(401, refused.Status);
    }

    [Fact]
    public async Task The_tour_runs_through_the_TypeScript_client()
    {
        var tools = await Command.RunAsync("bash", ["scripts/ensure-tools.sh", "clients"], TimeSpan.FromMinutes(20));
        Assert.True(tools.ExitCode == 0, $"scripts/ensure-tools.sh clients failed:\n{tools.Output}");
        var build = await Command.RunAsync(Path.Combine(RepositoryRoot.Path, "clients/typescript/node_modules/.bin/tsc"), ["-p", "clients/typescript/tsconfig.json"], TimeSpan.FromMinutes(5));
        Assert.True(build.ExitCode == 0, $"The TypeScript client and its tour do not compile:\n{build.Output}");

        var (exitCode, output) = await Command.RunAsync("node", ["clients/typescript/dist/examples/tour.js"], TimeSpan.FromMinutes(3), new Dictionary<string, string>
        {
            ["PROCORE_CONNECT_URL"] = local.App.BaseAddress.GetLeftPart(UriPartial.Authority),
            ["PROCORE_SIMULATOR_URL"] = SimulatorUrl,
            ["PROCORE_CONNECT_ADMIN_KEY"] = AdminKey,
            ["TOUR_PARTNER"] = "typescript-platform",
            ["TOUR_WORKSPACE"] = "typescript-hq",
            ["TOUR_OAUTH_CLIENT"] = "typescript-app",
        });
        Assert.True(exitCode == 0, $"The TypeScript tour exited with {exitCode}:\n{output}\n--- the app's last lines:\n{string.Join('\n', local.App.Output.TakeLast(40))}");

        // Each step prints one JSON line; node may add warnings of its own on stderr.
        var steps = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.StartsWith('{'))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .ToDictionary(step => step.GetProperty("step").GetString()!, step => step.GetProperty("value"));
        Assert.Equal("pending", steps["4. workspace"].GetString());
        Assert.Equal(["typescript-hq"], steps["4. by tag"].EnumerateArray().Select(w => w.GetString()));
        Assert.Equal("Connected to Procore", steps["6. sign-in"].GetString());
        Assert.Equal(1001, steps["7. token"].GetProperty("companyId").GetInt64());
        Assert.True(steps["7. token"].GetProperty("me").TryGetProperty("login", out _), output);
        Assert.Equal("/api/workspaces/typescript-hq/procore/rest/v1.0/projects", steps["7. proxy"].GetProperty("url").GetString());
        Assert.NotEmpty(steps["7. proxy"].GetProperty("projects").EnumerateArray());
        Assert.Contains(
            steps["8. events"].EnumerateArray(),
            e => e.GetProperty("type").GetString() == "connected" && e.GetProperty("workspaceId").GetString() == "typescript-hq");
    }

    /// <summary>
    /// What a person's browser does with a connect link, as README's step 6 does with curl: open it,
    /// press Connect, open Procore's sign-in page, press Allow, and follow the way back. Answers the
    /// last page.
    /// </summary>
    private static async Task<string> SignInAsync(Uri link)
    {
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false });
        (await browser.GetAsync(link)).EnsureSuccessStatusCode();
        var signIn = RedirectOf(await browser.PostAsync(link, new StringContent("", null, "application/x-www-form-urlencoded")), link);
        (await browser.GetAsync(signIn)).EnsureSuccessStatusCode();
        var allow = new StringContent(signIn.Query.TrimStart('?') + "&decision=allow", null, "application/x-www-form-urlencoded");
        var callback = RedirectOf(await browser.PostAsync(new Uri(signIn.GetLeftPart(UriPartial.Path)), allow), signIn);
        using var page = await browser.GetAsync(callback);
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.IsSuccessStatusCode, $"The callback answered {(int)page.StatusCode}:\n{html}");
        return html;
    }

    private static Uri RedirectOf(HttpResponseMessage response, Uri from)
    {
        Assert.True(response.Headers.Location is not null, $"{from} answered {(int)response.StatusCode} without a redirect.");
        return new Uri(from, response.Headers.Location);
    }
}
