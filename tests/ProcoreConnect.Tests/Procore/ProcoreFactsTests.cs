using System.Net;
using System.Net.Http.Json;
using ProcoreConnect.Procore;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreSimulator.State;

namespace ProcoreConnect.Tests.Procore;

/// <summary>
/// Procore's facts as DESIGN.md records them (from Procore's developer docs), in the app's defaults
/// and in the simulator that the other tests trust to behave like Procore.
/// </summary>
public sealed class ProcoreFactsTests : IAsyncLifetime
{
    private SimulatorHost _simulator = null!;

    public async Task InitializeAsync() => _simulator = await SimulatorHost.StartAsync();

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    [Theory]
    [InlineData(ProcoreEnvironment.Production, "https://login.procore.com/", "https://api.procore.com/")]
    [InlineData(ProcoreEnvironment.Sandbox, "https://login-sandbox.procore.com/", "https://sandbox.procore.com/")]
    [InlineData(ProcoreEnvironment.Monthly, "https://login-sandbox-monthly.procore.com/", "https://api-monthly.procore.com/")]
    [InlineData(ProcoreEnvironment.Federal, "https://login.procoregov.com/", "https://api.procoregov.com/")]
    public void The_default_hosts_are_procores(ProcoreEnvironment environment, string login, string api)
    {
        var endpoints = new ProcoreOptions().For(environment);
        Assert.Equal(new Uri(login), endpoints.LoginBaseUrl);
        Assert.Equal(new Uri(api), endpoints.ApiBaseUrl);
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string token, string? company)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", token);
        if (company is not null)
        {
            request.Headers.Add("Procore-Company-Id", company);
        }

        return await _simulator.Http.SendAsync(request);
    }

    private async Task<string> TokenAsync(SimulatedClient client, string grant, string? refreshToken = null)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = grant, ["client_id"] = client.ClientId, ["client_secret"] = client.ClientSecret };
        if (refreshToken is not null)
        {
            form["refresh_token"] = refreshToken;
        }

        var response = await _simulator.Http.PostAsync("/oauth/token", new FormUrlEncodedContent(form));
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("access_token").GetString()!;
    }

    [Fact]
    public async Task A_dmsa_token_must_name_an_installed_company_even_on_me_and_companies()
    {
        var app = _simulator.Register(true, 1001, 1002);
        var token = await TokenAsync(app, "client_credentials");

        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync("/rest/v1.0/me", token, null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync("/rest/v1.0/companies", token, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/rest/v1.0/companies", token, "3003")).StatusCode);
        var companies = await GetAsync("/rest/v1.0/companies", token, "1002");
        Assert.Equal(HttpStatusCode.OK, companies.StatusCode);
        Assert.Equal(2, (await companies.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetArrayLength());
        Assert.True(companies.Headers.Contains("X-Rate-Limit-Reset"));
    }

    [Fact]
    public async Task Revoking_the_access_token_revokes_its_refresh_token_and_an_unknown_token_is_fine()
    {
        var app = _simulator.Register();
        var code = _simulator.State.IssueCode(app.ClientId, "https://cb.example.com", null);
        var issued = System.Text.Json.JsonSerializer.SerializeToElement(_simulator.State.ExchangeCode(app, code, "https://cb.example.com", null).Body);
        var access = issued.GetProperty("access_token").GetString()!;
        var refresh = issued.GetProperty("refresh_token").GetString()!;

        var revoke = await _simulator.Http.PostAsync("/oauth/revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = access, ["client_id"] = app.ClientId, ["client_secret"] = app.ClientSecret,
        }));
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/rest/v1.0/me", access, null)).StatusCode);
        Assert.Equal(400, _simulator.State.Refresh(app, refresh).Status);

        var unknown = await _simulator.Http.PostAsync("/oauth/revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = "never-issued", ["client_id"] = app.ClientId, ["client_secret"] = app.ClientSecret,
        }));
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
    }

    [Theory]
    [InlineData(500, false)]
    [InlineData(502, false)]
    [InlineData(503, true)]
    [InlineData(429, true)]
    public async Task A_failed_refresh_call_spends_the_refresh_token_unless_it_was_throttled(int failure, bool stillUsable)
    {
        var app = _simulator.Register();
        var code = _simulator.State.IssueCode(app.ClientId, "https://cb.example.com", null);
        var refresh = System.Text.Json.JsonSerializer.SerializeToElement(_simulator.State.ExchangeCode(app, code, "https://cb.example.com", null).Body)
            .GetProperty("refresh_token").GetString()!;
        _simulator.State.SetFaults(new SimulatorFaults { TokenFailures = [failure] });

        var failed = await _simulator.Http.PostAsync("/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["client_id"] = app.ClientId, ["client_secret"] = app.ClientSecret, ["refresh_token"] = refresh,
        }));

        Assert.Equal(failure, (int)failed.StatusCode);
        Assert.Equal(stillUsable ? 200 : 400, _simulator.State.Refresh(app, refresh).Status);
    }

    [Fact]
    public async Task Rate_limit_headers_report_the_nearer_of_the_hourly_and_spike_limits()
    {
        var app = _simulator.Register();
        var token = await TokenAsync(app, "client_credentials");
        _simulator.State.SetFaults(new SimulatorFaults { RateLimitPerHour = 1000, SpikeLimitPer10Seconds = 3 });

        var limits = new List<(string Limit, string Remaining)>();
        for (var i = 0; i < 4; i++)
        {
            var response = await GetAsync("/rest/v1.0/me", token, "1001");
            limits.Add((response.Headers.GetValues("X-Rate-Limit-Limit").Single(), response.Headers.GetValues("X-Rate-Limit-Remaining").Single()));
            Assert.Equal(i < 3 ? HttpStatusCode.OK : HttpStatusCode.TooManyRequests, response.StatusCode);
        }

        Assert.Equal([("3", "2"), ("3", "1"), ("3", "0"), ("3", "0")], limits);
    }
}
