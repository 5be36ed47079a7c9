using System.Net;
using System.Text.Json;
using ProcoreConnect.Clients;
using ProcoreConnect.Procore;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Tokens;
using ProcoreConnect.Validation;
using ProcoreConnect.WorkspaceConnections;
using ProcoreConnect.Workspaces;
using ProcoreSimulator.State;

namespace ProcoreConnect.Tests.Clients;

/// <summary>
/// A public client-credentials (DMSA) client serves a partner only in the companies the operator
/// granted it: its token reaches every company that installed the app, so a partner naming a
/// company proves nothing. Partner A tries every way to another partner's customer.
/// </summary>
public sealed class PublicClientGrantTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    private const string PartnerA = "partner-grant-a";
    private const string PartnerB = "partner-grant-b";

    private HttpClient A => fixture.App.ClientFor(PartnerA, ProcoreFixture.NoRedirectsNoCookies);

    private HttpClient B => fixture.App.ClientFor(PartnerB, ProcoreFixture.NoRedirectsNoCookies);

    private HttpClient Admin()
    {
        var admin = fixture.App.AnonymousClient();
        admin.DefaultRequestHeaders.Add("X-Api-Key", AppFactory.AdminKey);
        return admin;
    }

    // The operator's DMSA app, installed in 1001 (A's customer) and 1002 (B's customer), published as a public client.
    private async Task<(SimulatedClient App, string Name)> SharedDmsaAsync(string authFlow = "client_credentials")
    {
        var app = fixture.Simulator.Register(true, 1001, 1002);
        var name = Connections.NewClientName();
        var body = Connections.Client(app.ClientSecret, authFlow, app.ClientId).Without("redirectUri");
        Assert.Equal(HttpStatusCode.Created, (await Admin().PutAsync($"/api/oauth-clients/{name}", Json.Body(body))).StatusCode);
        return (app, name);
    }

    private async Task GrantAsync(string name, string partner, params long[] companies)
    {
        var response = await Admin().PutAsync($"/api/oauth-clients/{name}/grants/{partner}", Json.Body(new Dictionary<string, object> { ["companyIds"] = companies }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static Task<HttpResponseMessage> PutWorkspaceAsync(HttpClient partner, string id, string client, long companyId) =>
        partner.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid(client).With("companyId", companyId).With("environment", "production")));

    [Fact]
    public async Task A_partner_cannot_create_a_workspace_for_a_company_not_granted_to_it_and_nothing_is_written()
    {
        var (_, name) = await SharedDmsaAsync();
        await GrantAsync(name, PartnerB, 1002);
        var id = Connections.NewId();

        var refused = await PutWorkspaceAsync(A, id, name, 1002);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var problem = await refused.ReadJsonAsync();
        Assert.Contains("1002", problem.GetProperty("errors").GetProperty("companyId")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await A.GetAsync($"/api/workspaces/{id}/connection")).StatusCode);
        Assert.Null(await fixture.App.Service<WorkspaceRepository>().FindAsync(new WorkspaceRef(PartnerA, id), default));
    }

    [Fact]
    public async Task A_granted_partner_gets_tokens_and_sees_only_its_companies_and_cannot_move_onto_another()
    {
        var (_, name) = await SharedDmsaAsync();
        await GrantAsync(name, PartnerA, 1001);
        var id = Connections.NewId();
        Assert.Equal(HttpStatusCode.Created, (await PutWorkspaceAsync(A, id, name, 1001)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await A.GetAsync($"/api/workspaces/{id}/token")).StatusCode);
        var report = await (await A.PostAsync($"/api/workspaces/{id}/validate", null)).ReadAsync<ValidationReport>();
        Assert.True(report.Ok, report.Fix);
        Assert.Equal([1001L], report.VisibleCompanies.Select(c => c.Id));
        var view = await (await A.GetAsync($"/api/oauth-clients/{name}")).ReadAsync<OAuthClientResponse>();
        Assert.Equal([1001L], view.GrantedCompanyIds);

        // Moving the granted workspace onto B's customer is refused, and the row stays as it was.
        var before = await A.GetAsync($"/api/workspaces/{id}/connection");
        Assert.Equal(HttpStatusCode.Forbidden, (await PutWorkspaceAsync(A, id, name, 1002)).StatusCode);
        var after = await A.GetAsync($"/api/workspaces/{id}/connection");
        Assert.Equal(before.Headers.ETag, after.Headers.ETag);
        Assert.Equal(1001, (await after.ReadAsync<ConnectionResponse>()).CompanyId);
        Assert.Equal(HttpStatusCode.Forbidden, (await A.GetAsync($"/api/oauth-clients/{name}/companies?environment=production")).StatusCode);
    }

    [Fact]
    public async Task Without_a_grant_a_public_client_credentials_client_serves_no_company()
    {
        var (_, name) = await SharedDmsaAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await PutWorkspaceAsync(A, Connections.NewId(), name, 1001)).StatusCode);
    }

    [Fact]
    public async Task Revoking_a_grant_stops_the_partners_tokens_lists_the_workspace_in_needs_attention_and_a_new_grant_restores_them()
    {
        var (_, name) = await SharedDmsaAsync();
        await GrantAsync(name, PartnerA, 1001, 1002);
        var (kept, lost) = (Connections.NewId(), Connections.NewId());
        Assert.Equal(HttpStatusCode.Created, (await PutWorkspaceAsync(A, kept, name, 1001)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PutWorkspaceAsync(A, lost, name, 1002)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await A.GetAsync($"/api/workspaces/{lost}/token")).StatusCode);

        await GrantAsync(name, PartnerA, 1001);

        var refused = await A.GetAsync($"/api/workspaces/{lost}/token");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("grant_revoked", (await refused.ReadJsonAsync()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await A.PostAsync($"/api/workspaces/{lost}/token/refresh", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await A.GetAsync($"/api/workspaces/{kept}/token")).StatusCode);
        var attention = await (await A.GetAsync("/api/workspaces/needs-attention")).ReadAsync<NeedsAttentionResponse>();
        Assert.Equal(["grant_revoked"], attention.Workspaces.Single(w => w.WorkspaceId == lost).Reasons.Select(r => r.Code));
        Assert.DoesNotContain(attention.Workspaces, w => w.WorkspaceId == kept);

        Assert.Equal(HttpStatusCode.NoContent, (await Admin().DeleteAsync($"/api/oauth-clients/{name}/grants/{PartnerA}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await A.GetAsync($"/api/workspaces/{kept}/token")).StatusCode);

        await GrantAsync(name, PartnerA, 1001, 1002);
        Assert.Equal(HttpStatusCode.OK, (await A.GetAsync($"/api/workspaces/{lost}/token")).StatusCode);
    }

    [Fact]
    public async Task Forced_refreshes_of_a_shared_token_ask_procore_at_most_once_a_minute_and_answer_that_token()
    {
        var (_, name) = await SharedDmsaAsync();
        await GrantAsync(name, PartnerA, 1001, 1002);
        var (a, b) = (Connections.NewId(), Connections.NewId());
        Assert.Equal(HttpStatusCode.Created, (await PutWorkspaceAsync(A, a, name, 1001)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PutWorkspaceAsync(A, b, name, 1002)).StatusCode);
        var bToken = await (await A.GetAsync($"/api/workspaces/{b}/token")).ReadAsync<TokenResponse>();
        fixture.Clock.Advance(TimeSpan.FromMinutes(2));
        var before = (await fixture.Simulator.StatsAsync()).ClientCredentialsGrants;

        var forced = new List<TokenResponse>();
        for (var i = 0; i < 5; i++)
        {
            fixture.Clock.Advance(TimeSpan.FromSeconds(5)); // each asks for a token newer than the last one
            var response = await A.PostAsync($"/api/workspaces/{a}/token/refresh", null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            forced.Add(await response.ReadAsync<TokenResponse>());
        }

        Assert.Equal(1, (await fixture.Simulator.StatsAsync()).ClientCredentialsGrants - before);
        Assert.Single(forced.Select(t => t.AccessToken).Distinct());
        Assert.NotEqual(bToken.AccessToken, forced[0].AccessToken);

        // A minute after that one, a forced refresh asks Procore again.
        fixture.Clock.Advance(TimeSpan.FromSeconds(41));
        Assert.Equal(HttpStatusCode.OK, (await A.PostAsync($"/api/workspaces/{a}/token/refresh", null)).StatusCode);
        Assert.Equal(2, (await fixture.Simulator.StatsAsync()).ClientCredentialsGrants - before);
    }

    [Fact]
    public async Task Once_a_second_partner_is_granted_the_shared_token_is_revoked_and_shown_to_neither()
    {
        var (_, name) = await SharedDmsaAsync();
        await GrantAsync(name, PartnerA, 1001);
        var (a, b) = (Connections.NewId(), Connections.NewId());
        Assert.Equal(HttpStatusCode.Created, (await PutWorkspaceAsync(A, a, name, 1001)).StatusCode);
        var held = await (await A.GetAsync($"/api/workspaces/{a}/token")).ReadAsync<TokenResponse>();
        Assert.Equal(HttpStatusCode.OK, await ProcoreAsync(held.AccessToken, 1002)); // the app's token reaches every company that installed it
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));

        await GrantAsync(name, PartnerB, 1002);

        Assert.Equal(HttpStatusCode.Unauthorized, await ProcoreAsync(held.AccessToken, 1002));
        Assert.Equal(HttpStatusCode.Created, (await PutWorkspaceAsync(B, b, name, 1002)).StatusCode);
        foreach (var (partner, id) in new[] { (A, a), (B, b) })
        {
            foreach (var answer in new[] { await partner.GetAsync($"/api/workspaces/{id}/token"), await partner.PostAsync($"/api/workspaces/{id}/token/refresh", null) })
            {
                Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
                Assert.Equal("token_withheld", (await answer.ReadJsonAsync()).GetProperty("code").GetString());
            }

            // The service still calls Procore with it for the workspace.
            Assert.True((await (await partner.PostAsync($"/api/workspaces/{id}/validate", null)).ReadAsync<ValidationReport>()).Ok);
        }

        // Down to one partner again: it may hold the token.
        Assert.Equal(HttpStatusCode.NoContent, (await Admin().DeleteAsync($"/api/oauth-clients/{name}/grants/{PartnerB}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await A.GetAsync($"/api/workspaces/{a}/token")).StatusCode);
    }

    [Fact]
    public async Task When_a_grant_changes_hands_the_shared_token_is_revoked_so_no_two_partners_hold_one()
    {
        var (_, name) = await SharedDmsaAsync();
        await GrantAsync(name, PartnerB, 1002);
        var b = Connections.NewId();
        Assert.Equal(HttpStatusCode.Created, (await PutWorkspaceAsync(B, b, name, 1002)).StatusCode);
        var held = await (await B.GetAsync($"/api/workspaces/{b}/token")).ReadAsync<TokenResponse>();
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));

        // The operator takes B's grant away and gives the client to A: B's token must not live on into A's time.
        Assert.Equal(HttpStatusCode.NoContent, (await Admin().DeleteAsync($"/api/oauth-clients/{name}/grants/{PartnerB}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await ProcoreAsync(held.AccessToken, 1002));
        await GrantAsync(name, PartnerA, 1001);
        var a = Connections.NewId();
        Assert.Equal(HttpStatusCode.Created, (await PutWorkspaceAsync(A, a, name, 1001)).StatusCode);

        var answer = await A.GetAsync($"/api/workspaces/{a}/token");
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var token = await answer.ReadAsync<TokenResponse>();
        Assert.NotEqual(held.AccessToken, token.AccessToken);
        Assert.Equal(HttpStatusCode.OK, await ProcoreAsync(token.AccessToken, 1001));
        Assert.Equal("grant_revoked", (await (await B.GetAsync($"/api/workspaces/{b}/token")).ReadJsonAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_change_of_grantees_revokes_every_shared_token_still_alive_not_only_the_newest()
    {
        var (_, name) = await SharedDmsaAsync();
        await GrantAsync(name, PartnerB, 1002);
        var b = Connections.NewId();
        Assert.Equal(HttpStatusCode.Created, (await PutWorkspaceAsync(B, b, name, 1002)).StatusCode);
        var first = await (await B.GetAsync($"/api/workspaces/{b}/token")).ReadAsync<TokenResponse>();
        fixture.Clock.Advance(TimeSpan.FromSeconds(61));
        var second = await (await B.PostAsync($"/api/workspaces/{b}/token/refresh", null)).ReadAsync<TokenResponse>();
        Assert.NotEqual(first.AccessToken, second.AccessToken);
        Assert.Equal(HttpStatusCode.OK, await ProcoreAsync(first.AccessToken, 1001)); // both alive at Procore, both reaching every company
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));

        await GrantAsync(name, PartnerA, 1001);

        Assert.Equal(HttpStatusCode.Unauthorized, await ProcoreAsync(second.AccessToken, 1001));
        Assert.Equal(HttpStatusCode.Unauthorized, await ProcoreAsync(first.AccessToken, 1001));
    }

    [Fact]
    public async Task Another_instance_shows_no_shared_token_fetched_after_a_second_partner_was_granted()
    {
        var (_, name) = await SharedDmsaAsync();
        await GrantAsync(name, PartnerB, 1002);
        var (b1, b2) = (Connections.NewId(), Connections.NewId());
        Assert.Equal(HttpStatusCode.Created, (await PutWorkspaceAsync(B, b1, name, 1002)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PutWorkspaceAsync(B, b2, name, 1002)).StatusCode);
        await using var second = fixture.App.SecondInstance();
        var secondB = second.ClientFor(PartnerB, ProcoreFixture.NoRedirectsNoCookies);
        foreach (var id in new[] { b1, b2 })
        {
            Assert.Equal(HttpStatusCode.OK, (await secondB.GetAsync($"/api/workspaces/{id}/token")).StatusCode); // now in the second instance's memory
        }

        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        await GrantAsync(name, PartnerA, 1001); // on the first instance, which drops only its own memory

        // B's forced refresh on the second instance fetches a new shared token, shown to nobody...
        var refreshed = await secondB.PostAsync($"/api/workspaces/{b2}/token/refresh", null);
        Assert.Equal(HttpStatusCode.Forbidden, refreshed.StatusCode);
        Assert.Equal("token_withheld", (await refreshed.ReadJsonAsync()).GetProperty("code").GetString());

        // ...nor through B's other workspace, whose older token that instance still holds in memory.
        var other = await secondB.GetAsync($"/api/workspaces/{b1}/token");
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal("token_withheld", (await other.ReadJsonAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_grant_holds_in_the_environments_it_names_only()
    {
        var (_, name) = await SharedDmsaAsync();
        var response = await Admin().PutAsync($"/api/oauth-clients/{name}/grants/{PartnerA}", Json.Raw("""{"companyIds":[1001],"environments":["production"]}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([ProcoreEnvironment.Production], (await response.ReadAsync<ClientGrant>()).Environments);

        Assert.Equal(HttpStatusCode.Created, (await PutWorkspaceAsync(A, Connections.NewId(), name, 1001)).StatusCode);
        var monthly = await A.PutAsync($"/api/workspaces/{Connections.NewId()}/connection", Json.Body(Connections.Valid(name).With("environment", "monthly")));
        Assert.Equal(HttpStatusCode.Forbidden, monthly.StatusCode);

        var bad = await Admin().PutAsync($"/api/oauth-clients/{name}/grants/{PartnerA}", Json.Raw("""{"companyIds":[1001],"environments":["staging"]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.ReadJsonAsync()).GetProperty("errors").TryGetProperty("environments[0]", out _));
    }

    private async Task<HttpStatusCode> ProcoreAsync(string accessToken, long companyId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/rest/v1.0/projects?company_id={companyId}");
        request.Headers.Authorization = new("Bearer", accessToken);
        request.Headers.Add("Procore-Company-Id", companyId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return (await fixture.Simulator.Http.SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task A_public_code_flow_client_serves_any_company_until_the_operator_restricts_a_partner()
    {
        var (_, name) = await SharedDmsaAsync("authorization_code");
        Assert.Equal(HttpStatusCode.Created, (await PutWorkspaceAsync(A, Connections.NewId(), name, 4242)).StatusCode);
        Assert.Null((await (await A.GetAsync($"/api/oauth-clients/{name}")).ReadAsync<OAuthClientResponse>()).GrantedCompanyIds);

        await GrantAsync(name, PartnerA, 1001);

        Assert.Equal(HttpStatusCode.Forbidden, (await PutWorkspaceAsync(A, Connections.NewId(), name, 4242)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PutWorkspaceAsync(A, Connections.NewId(), name, 1001)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PutWorkspaceAsync(B, Connections.NewId(), name, 4242)).StatusCode);
    }

    [Fact]
    public async Task Grants_are_the_operators_alone_and_bad_input_changes_nothing()
    {
        var (_, name) = await SharedDmsaAsync();
        await GrantAsync(name, PartnerB, 1002);
        var grant = await (await Admin().GetAsync($"/api/oauth-clients/{name}/grants/{PartnerB}")).ReadAsync<ClientGrant>();
        Assert.Equal([1002L], grant.CompanyIds);

        Assert.Equal(HttpStatusCode.Forbidden, (await A.PutAsync($"/api/oauth-clients/{name}/grants/{PartnerA}", Json.Raw("""{"companyIds":[1002]}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await A.GetAsync($"/api/oauth-clients/{name}/grants/{PartnerB}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await A.DeleteAsync($"/api/oauth-clients/{name}/grants/{PartnerB}")).StatusCode);

        foreach (var (body, field) in new[] { ("""{"companyIds":[0]}""", "companyIds"), ("""{}""", "companyIds"), ("""{"companyIds":["1002"]}""", "companyIds[0]"), ("""{"companies":[1]}""", "companies") })
        {
            var bad = await Admin().PutAsync($"/api/oauth-clients/{name}/grants/{PartnerA}", Json.Raw(body));
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.True((await bad.ReadJsonAsync()).GetProperty("errors").TryGetProperty(field, out _), body);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await Admin().GetAsync($"/api/oauth-clients/{name}/grants/{PartnerA}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Admin().PutAsync($"/api/oauth-clients/{name}/grants/Not_A_Partner", Json.Raw("""{"companyIds":[1]}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin().PutAsync($"/api/oauth-clients/{Connections.NewClientName()}/grants/{PartnerA}", Json.Raw("""{"companyIds":[1]}"""))).StatusCode);
        // A partner's own client of that name is no public client: no grant is set on it.
        var own = Connections.NewClientName();
        (await A.PutAsync($"/api/oauth-clients/{own}", Json.Body(Connections.Client()))).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NotFound, (await Admin().PutAsync($"/api/oauth-clients/{own}/grants/{PartnerA}", Json.Raw("""{"companyIds":[1]}"""))).StatusCode);
    }

    [Fact]
    public async Task Deleting_a_public_client_deletes_its_grants_so_a_client_created_again_under_its_name_starts_with_none()
    {
        var (app, name) = await SharedDmsaAsync();
        await GrantAsync(name, PartnerA, 1001);
        Assert.Equal(HttpStatusCode.NoContent, (await Admin().DeleteAsync($"/api/oauth-clients/{name}")).StatusCode);
        var body = Connections.Client(app.ClientSecret, "client_credentials", app.ClientId).Without("redirectUri");
        Assert.Equal(HttpStatusCode.Created, (await Admin().PutAsync($"/api/oauth-clients/{name}", Json.Body(body))).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await Admin().GetAsync($"/api/oauth-clients/{name}/grants/{PartnerA}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PutWorkspaceAsync(A, Connections.NewId(), name, 1001)).StatusCode);
    }
}
