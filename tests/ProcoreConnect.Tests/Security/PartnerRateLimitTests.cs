using System.Net;
using Microsoft.AspNetCore.Routing;
using ProcoreConnect.ClientManagement;
using ProcoreConnect.Clients;
using ProcoreConnect.Hosting;
using ProcoreConnect.Security;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tests.Security;

/// <summary>Per-partner limits on the calls that spend Key Vault or Procore quota, and none on the token API.</summary>
public sealed class PartnerRateLimitTests : IDisposable
{
    private const int Limit = 5;
    private readonly AppFactory _app = AppFactory.With(new Dictionary<string, string?>
    {
        ["RateLimits:PermitLimit"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        // Long enough that no window ends during a test.
        ["RateLimits:Window"] = "00:10:00",
    });

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task A_burst_beyond_the_limit_gets_429_with_retry_after_and_changes_nothing()
    {
        var client = _app.ClientFor("partner-burst");
        var id = Connections.NewId();
        for (var i = 0; i < Limit; i++)
        {
            Assert.True((await client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid().With("companyId", 1000 + i)))).IsSuccessStatusCode);
        }

        var before = await _app.Service<WorkspaceRepository>().FindAsync(new WorkspaceRef("partner-burst", id), default);
        var audit = await (await client.GetAsync($"/api/workspaces/{id}/audit")).Content.ReadAsStringAsync();

        var refused = await client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid().With("companyId", 4242)));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        Assert.Equal(429, (await refused.ReadJsonAsync()).GetProperty("status").GetInt32());
        // Every limited function shares the partner's budget, and none of them does anything when refused.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.DeleteAsync($"/api/workspaces/{id}/connection")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PutAsync($"/api/oauth-clients/{Connections.DefaultClient}/secret", Json.Body(new { clientSecret = "new-secret" }))).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PutAsync("/api/partner/webhook", Json.Body(new { url = "https://hooks.example.com/x" }))).StatusCode);
        var after = await _app.Service<WorkspaceRepository>().FindAsync(new WorkspaceRef("partner-burst", id), default);
        Assert.Equal(before!.ETag, after!.ETag);
        Assert.Equal(before.CompanyId, after.CompanyId);
        Assert.Equal(audit, await (await client.GetAsync($"/api/workspaces/{id}/audit")).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/partner/webhook")).StatusCode);
        Assert.Contains(_app.Logs.Lines, l => l.Contains("429 Too many requests", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Another_partner_is_not_affected()
    {
        var busy = _app.ClientFor("partner-busy");
        for (var i = 0; i <= Limit; i++)
        {
            await busy.PutAsync($"/api/workspaces/{Connections.NewId()}/connection", Json.Body(Connections.Valid()));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await busy.PutAsync($"/api/workspaces/{Connections.NewId()}/connection", Json.Body(Connections.Valid()))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _app.ClientFor("partner-calm").PutAsync($"/api/workspaces/{Connections.NewId()}/connection", Json.Body(Connections.Valid()))).StatusCode);
    }

    [Fact]
    public async Task The_token_api_reads_and_health_are_never_limited()
    {
        var client = _app.ClientFor("partner-tokens");
        var id = Connections.NewId();
        Assert.Equal(HttpStatusCode.Created, (await client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid()))).StatusCode);
        for (var i = 0; i < Limit; i++)
        {
            await client.PostAsync($"/api/workspaces/{id}/validate", null);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostAsync($"/api/workspaces/{id}/validate", null)).StatusCode);
        for (var i = 0; i < Limit * 4; i++)
        {
            // Not connected: 409 from the token API itself, never a 429 from the limiter.
            Assert.Equal(HttpStatusCode.Conflict, (await client.GetAsync($"/api/workspaces/{id}/token")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/workspaces/{id}/connection")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/workspaces")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/health")).StatusCode);
        }
    }

    [Fact]
    public void The_limited_functions_are_the_twenty_one_that_spend_shared_quota_the_proxy_on_its_own_and_the_hot_path_is_not_among_them()
    {
        _app.CreateClient();
        var functions = FunctionDefinition.In(_app.Service<EndpointDataSource>().Endpoints);
        var limited = _app.Service<EndpointDataSource>().Endpoints
            .Where(e => e.Metadata.GetMetadata<RateLimited>() is not null)
            .ToDictionary(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName, e => e.Metadata.GetMetadata<RateLimited>()!);

        // The set the limiter enforces, read from the endpoints' declarations: a change to it is a
        // decision, made here as well.
        Assert.Equal(
            [
                "CallProcoreDelete", "CallProcoreGet", "CallProcoreHead", "CallProcorePatch", "CallProcorePost", "CallProcorePut",
                "ConfigureProcoreWebhook", "Connect", "CreateCompanyWorkspaces", "CreateConnectLink", "CreateOwnKey", "DeleteConnection", "DeleteOAuthClient",
                "DeletePartnerWebhook", "ListInstalledCompanies", "ListKnownProjects", "PatchConnection", "PutConnection", "PutOAuthClient",
                "RedeliverMissedPartnerEvents", "RedeliverPartnerEvent", "RefreshToken", "RevokeOwnKey", "RotateOAuthClientSecret", "SetPartnerWebhook", "StartConnectLink", "ValidateConnection",
            ],
            limited.Keys.Order(StringComparer.Ordinal));
        Assert.Subset(functions.Select(f => f.Name).ToHashSet(), limited.Keys.ToHashSet());
        // A budget per partner needs an authenticated partner; an anonymous route is charged to its link.
        Assert.All(limited, f => Assert.Equal(f.Value.Scope == "per partner", functions.Single(d => d.Name == f.Key).Policy is not null));
        Assert.Equal("per link", limited["StartConnectLink"].Scope);
        // The proxy has a budget of its own (ProcoreCalls:PartnerLimit); the others share RateLimits' window.
        Assert.All(limited, f => Assert.Equal(f.Key.StartsWith("CallProcore", StringComparison.Ordinal), f.Value.Limiter is not null));
    }

    [Fact]
    public async Task Requests_answered_400_use_no_permit()
    {
        var client = _app.ClientFor("partner-typos");
        var id = Connections.NewId();
        for (var i = 0; i < Limit * 3; i++)
        {
            var invalid = await client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid().With("environment", "staging")));
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/workspaces/Not_An_Id/connect-links", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PutAsync("/api/partner/webhook", Json.Body(new { url = "http://10.0.0.1/x" }))).StatusCode);

        // The whole budget is still there.
        for (var i = 0; i < Limit; i++)
        {
            Assert.True((await client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid().With("companyId", 1000 + i)))).IsSuccessStatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid()))).StatusCode);
    }

    [Fact]
    public async Task A_400_after_a_secret_was_written_keeps_its_permit()
    {
        // A rotation on a DMSA client no workspace uses writes the candidate secret, then answers 400
        // naming environment: it reached the secret store, so it is charged like any other call.
        var client = _app.ClientFor("partner-rotations");
        var name = Connections.NewClientName();
        await _app.Service<OAuthClientService>().UpsertAsync(
            new OAuthClientRef("partner-rotations", name),
            new OAuthClientSettings { AuthFlow = AuthFlow.ClientCredentials, ClientId = "dmsa-app", ClientSecret = Connections.NewSecret() },
            null,
            default);
        for (var i = 0; i < Limit; i++)
        {
            var response = await client.PutAsync($"/api/oauth-clients/{name}/secret", Json.Body(new { clientSecret = Connections.NewSecret() }));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("environment", out _));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PutAsync($"/api/oauth-clients/{name}/secret", Json.Body(new { clientSecret = Connections.NewSecret() }))).StatusCode);
    }

    [Fact]
    public async Task Creating_connect_links_is_limited_per_partner()
    {
        var client = _app.ClientFor("partner-links");
        var id = Connections.NewId();
        Assert.Equal(HttpStatusCode.Created, (await client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid()))).StatusCode);
        for (var i = 1; i < Limit; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"/api/workspaces/{id}/connect-links", null)).StatusCode);
        }

        var refused = await client.PostAsync($"/api/workspaces/{id}/connect-links", null);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        Assert.Contains("partner", (await refused.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(Limit - 1, (await (await client.GetAsync($"/api/workspaces/{id}/audit")).ReadJsonAsync())
            .EnumerateArray().Count(e => e.GetProperty("action").GetString() == "connect_link.created"));
    }

    [Fact]
    public async Task Pressing_connect_is_limited_per_link()
    {
        var client = _app.ClientFor("partner-presses");
        var id = Connections.NewId();
        Assert.Equal(HttpStatusCode.Created, (await client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid()))).StatusCode);
        var first = await LinkPathAsync(client, id);
        var second = await LinkPathAsync(client, id);
        var person = _app.AnonymousClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        for (var i = 0; i < Limit; i++)
        {
            Assert.Equal(HttpStatusCode.SeeOther, (await person.PostAsync(first, null)).StatusCode);
        }

        var refused = await person.PostAsync(first, null);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        Assert.Contains("link", (await refused.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        // Another link, and the partner's own calls, have budgets of their own.
        Assert.Equal(HttpStatusCode.SeeOther, (await person.PostAsync(second, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"/api/workspaces/{id}/connect-links", null)).StatusCode);
        // The token never appears in the logs, the limiter's included.
        Assert.DoesNotContain(_app.Logs.Lines, l => l.Contains(first.Split('/')[^1], StringComparison.Ordinal));
    }

    private static async Task<string> LinkPathAsync(HttpClient client, string id)
    {
        var created = await client.PostAsync($"/api/workspaces/{id}/connect-links", null);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return new Uri((await created.ReadJsonAsync()).GetProperty("url").GetString()!).AbsolutePath;
    }

    [Fact]
    public void Defaults_are_sixty_calls_a_minute()
    {
        var defaults = new RateLimitOptions();
        Assert.Equal(60, defaults.PermitLimit);
        Assert.Equal(TimeSpan.FromMinutes(1), defaults.Window);
    }
}
