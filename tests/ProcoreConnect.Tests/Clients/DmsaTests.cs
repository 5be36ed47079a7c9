using System.Net;
using ProcoreConnect.Clients;
using ProcoreConnect.Procore;
using ProcoreConnect.Refresh;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Tokens;
using ProcoreConnect.Validation;
using ProcoreConnect.Workspaces;
using ProcoreSimulator.State;

namespace ProcoreConnect.Tests.Clients;

/// <summary>
/// Developer Managed Service Accounts: one app installed in many companies, one client-credentials
/// OAuth client, one token per environment shared by every workspace on it.
/// </summary>
public sealed class DmsaTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    private HttpClient Client => fixture.Client;

    /// <summary>A DMSA app installed in <paramref name="companies"/> companies (ids from <paramref name="first"/>), each with two permitted projects.</summary>
    private SimulatedClient DmsaApp(int companies, long first = 50_001) => Registered(fixture.Simulator.Register() with
    {
        Companies = [.. Enumerable.Range(0, companies).Select(i => new SimulatedCompany(first + i, $"Company {first + i}", [(first + i) * 10, ((first + i) * 10) + 1]))],
    });

    private SimulatedClient Registered(SimulatedClient app)
    {
        fixture.Simulator.State.Register(app);
        return app;
    }

    private async Task<string> WorkspaceAsync(string oauthClient, long companyId, string environment = "production")
    {
        var id = Connections.NewId();
        var response = await Client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid(oauthClient).With("companyId", companyId).With("environment", environment)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return id;
    }

    [Fact]
    public async Task Fifty_workspaces_on_one_client_cause_one_token_request_and_each_answer_carries_its_company()
    {
        var app = DmsaApp(50);
        var name = await fixture.CreateClientAsync(app, "client_credentials");
        var workspaces = new Dictionary<string, long>();
        foreach (var company in app.Companies)
        {
            workspaces[await WorkspaceAsync(name, company.Id)] = company.Id;
        }

        var before = await fixture.Simulator.StatsAsync();
        var answers = await Task.WhenAll(workspaces.Keys.Select(async id => (Id: id, Response: await Client.GetAsync($"/api/workspaces/{id}/token"))));

        var after = await fixture.Simulator.StatsAsync();
        Assert.Equal(1, after.ClientCredentialsGrants - before.ClientCredentialsGrants);
        Assert.Equal(1, after.MaxConcurrentClientCredentialsPerClient);
        var tokens = new List<TokenResponse>();
        foreach (var (id, response) in answers)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var token = await response.ReadAsync<TokenResponse>();
            Assert.Equal(workspaces[id], token.CompanyId);
            tokens.Add(token);
        }

        Assert.Single(tokens.Select(t => t.AccessToken).Distinct());

        // Every workspace uses its own company at Procore with the one token.
        foreach (var token in tokens.Take(5))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/rest/v1.0/me");
            request.Headers.Authorization = new("Bearer", token.AccessToken);
            request.Headers.Add("Procore-Company-Id", token.CompanyId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(HttpStatusCode.OK, (await fixture.Simulator.Http.SendAsync(request)).StatusCode);
        }

        Assert.All(workspaces.Keys, id => Assert.Equal(WorkspaceStatus.Connected, fixture.App.Service<WorkspaceRepository>().FindAsync(id, default).Result!.Status));
    }

    [Fact]
    public async Task Rotating_the_clients_secret_once_changes_what_every_workspace_on_it_uses()
    {
        var app = DmsaApp(5, first: 60_001);
        var name = await fixture.CreateClientAsync(app, "client_credentials");
        var ids = new List<string>();
        foreach (var company in app.Companies)
        {
            ids.Add(await WorkspaceAsync(name, company.Id));
        }

        Assert.All(await Task.WhenAll(ids.Select(id => Client.GetAsync($"/api/workspaces/{id}/token"))), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        // Regenerated in the Developer Portal: the old secret stops working at Procore.
        var rotated = Registered(app with { ClientSecret = Connections.NewSecret() });
        Assert.Equal(HttpStatusCode.OK, (await Client.PutAsync($"/api/oauth-clients/{name}/secret", Json.Body(new { clientSecret = rotated.ClientSecret }))).StatusCode);

        fixture.Clock.Advance(TimeSpan.FromMinutes(85)); // the shared token is due: the next call fetches one with the new secret
        var before = await fixture.Simulator.StatsAsync();
        var answers = await Task.WhenAll(ids.Select(id => Client.GetAsync($"/api/workspaces/{id}/token")));

        Assert.All(answers, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var after = await fixture.Simulator.StatsAsync();
        Assert.Equal(1, after.ClientCredentialsGrants - before.ClientCredentialsGrants);
        Assert.Equal(before.FailedTokenRequests, after.FailedTokenRequests);
    }

    [Fact]
    public async Task Installed_companies_are_listed_with_their_workspaces_and_the_unmapped_ones_created_in_one_call()
    {
        var app = DmsaApp(4, first: 70_001);
        var name = await fixture.CreateClientAsync(app, "client_credentials");
        var mapped = await WorkspaceAsync(name, 70_002);

        var listed = await Client.GetAsync($"/api/oauth-clients/{name}/companies?environment=production");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var companies = (await listed.ReadAsync<InstalledCompaniesResponse>()).Companies;
        Assert.Equal([70_001L, 70_002L, 70_003L, 70_004L], companies.Select(c => c.CompanyId));
        Assert.Equal([mapped], companies.Single(c => c.CompanyId == 70_002).WorkspaceIds);
        Assert.Equal("Company 70001", companies[0].Name);

        var prefix = "acme-" + Guid.NewGuid().ToString("N")[..6] + "-";
        var created = await Client.PostAsync($"/api/oauth-clients/{name}/companies", Json.Body(new { environment = "production", workspaceIdPrefix = prefix }));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var results = (await created.ReadAsync<CreateCompanyWorkspacesResponse>()).Results;
        Assert.Equal([70_001L, 70_003L, 70_004L], results.Select(r => r.CompanyId));
        Assert.All(results, r => Assert.Equal(CompanyWorkspaceOutcome.Created, r.Outcome));
        Assert.All(results, r => Assert.Equal(prefix + r.CompanyId, r.WorkspaceId));
        foreach (var result in results)
        {
            var view = await (await Client.GetAsync($"/api/workspaces/{result.WorkspaceId}/connection")).ReadAsync<ConnectionResponse>();
            Assert.Equal(result.CompanyId, view.CompanyId);
            Assert.Equal(name, view.OAuthClient);
            Assert.Equal(ProcoreEnvironment.Production, view.Environment);
            var audit = await (await Client.GetAsync($"/api/workspaces/{result.WorkspaceId}/audit")).ReadJsonAsync();
            Assert.Equal("workspace.created", audit[0].GetProperty("action").GetString());
        }

        var again = await (await Client.PostAsync($"/api/oauth-clients/{name}/companies", Json.Body(new { environment = "production", workspaceIdPrefix = prefix })))
            .ReadAsync<CreateCompanyWorkspacesResponse>();
        Assert.Empty(again.Results);

        var chosen = await (await Client.PostAsync($"/api/oauth-clients/{name}/companies", Json.Body(new { environment = "production", companyIds = (long[])[70_001L, 99_999L] })))
            .ReadAsync<CreateCompanyWorkspacesResponse>();
        Assert.Equal(CompanyWorkspaceOutcome.AlreadyMapped, chosen.Results.Single(r => r.CompanyId == 70_001).Outcome);
        Assert.Equal(CompanyWorkspaceOutcome.NotInstalled, chosen.Results.Single(r => r.CompanyId == 99_999).Outcome);
        Assert.Equal(4, (await (await Client.GetAsync($"/api/oauth-clients/{name}/companies?environment=production")).ReadAsync<InstalledCompaniesResponse>())
            .Companies.Count(c => c.WorkspaceIds.Count > 0));
    }

    [Fact]
    public async Task Listing_companies_needs_a_company_for_procores_header_and_a_dmsa_client()
    {
        var app = DmsaApp(2, first: 71_001);
        var name = await fixture.CreateClientAsync(app, "client_credentials");

        var missing = await Client.GetAsync($"/api/oauth-clients/{name}/companies?environment=production");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.True((await missing.ReadJsonAsync()).GetProperty("errors").TryGetProperty("companyId", out _));
        var named = await Client.GetAsync($"/api/oauth-clients/{name}/companies?environment=production&companyId=71002");
        Assert.Equal(2, (await named.ReadAsync<InstalledCompaniesResponse>()).Companies.Count);

        var codeFlow = await fixture.CreateClientAsync(fixture.Simulator.Register());
        Assert.Equal(HttpStatusCode.Conflict, (await Client.GetAsync($"/api/oauth-clients/{codeFlow}/companies?environment=production&companyId=1001")).StatusCode);
        foreach (var bad in new[] { "environment=staging", "companyId=1001", "environment=production&companyId=-1", "environment=production&companyId=x" })
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await Client.GetAsync($"/api/oauth-clients/{name}/companies?{bad}")).StatusCode);
        }

        foreach (var bad in new object[] { new { }, new { environment = "production", companyIds = Array.Empty<long>() }, new { environment = "production", workspaceIdPrefix = "Bad Prefix" } })
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await Client.PostAsync($"/api/oauth-clients/{name}/companies", Json.Body(bad))).StatusCode);
        }
    }

    [Fact]
    public async Task Validation_counts_the_permitted_projects_and_says_how_to_add_them_when_there_are_none()
    {
        var app = Registered(fixture.Simulator.Register() with
        {
            Companies = [new SimulatedCompany(80_001, "With projects", [1, 2, 3]), new SimulatedCompany(80_002, "Without projects", [])],
        });
        var name = await fixture.CreateClientAsync(app, "client_credentials");

        var good = await (await Client.PostAsync($"/api/workspaces/{await WorkspaceAsync(name, 80_001)}/validate", null)).ReadAsync<ValidationReport>();
        Assert.True(good.Ok);
        Assert.Equal(3, good.PermittedProjects);

        var empty = await (await Client.PostAsync($"/api/workspaces/{await WorkspaceAsync(name, 80_002)}/validate", null)).ReadAsync<ValidationReport>();
        Assert.False(empty.Ok);
        Assert.Equal(0, empty.PermittedProjects);
        Assert.Contains("App Management", empty.Fix, StringComparison.Ordinal);
        Assert.Contains("Permitted Projects", empty.Fix, StringComparison.Ordinal);
        Assert.Contains("after each app update or reinstall", empty.Fix, StringComparison.Ordinal);
        Assert.Equal("80002", (await fixture.Simulator.StatsAsync()).LastCompanyIdHeader);
    }

    [Fact]
    public async Task The_sweep_refreshes_a_clients_shared_token_once_however_many_workspaces_use_it()
    {
        var app = DmsaApp(20, first: 90_001);
        var name = await fixture.CreateClientAsync(app, "client_credentials");
        var ids = new List<string>();
        foreach (var company in app.Companies)
        {
            ids.Add(await WorkspaceAsync(name, company.Id));
        }

        var first = await (await Client.GetAsync($"/api/workspaces/{ids[0]}/token")).ReadAsync<TokenResponse>();
        fixture.Clock.Advance(TimeSpan.FromMinutes(81)); // past the shared token's due time
        var before = await fixture.Simulator.StatsAsync();

        await fixture.App.Service<RefreshSweeper>().RefreshAsync(
            [(await fixture.App.Service<RefreshDueIndex>().DueAsync(fixture.Clock.GetUtcNow(), 10_000, default))
                .OfType<DueClientToken>().Single(e => e.Token.Client.Name == name)], null, default);

        Assert.Equal(1, (await fixture.Simulator.StatsAsync()).ClientCredentialsGrants - before.ClientCredentialsGrants);
        var answers = await Task.WhenAll(ids.Select(async id => await (await Client.GetAsync($"/api/workspaces/{id}/token")).ReadAsync<TokenResponse>()));
        Assert.Single(answers.Select(a => a.AccessToken).Distinct());
        Assert.NotEqual(first.AccessToken, answers[0].AccessToken);
        Assert.Equal(1, (await fixture.Simulator.StatsAsync()).ClientCredentialsGrants - before.ClientCredentialsGrants);
    }
}
