using System.Net;
using System.Text.Json;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Workspaces;

public sealed class ValidationTests : IClassFixture<AppFactory>
{
    private readonly AppFactory _app;
    private readonly HttpClient _client;

    public ValidationTests(AppFactory app)
    {
        _app = app;
        _client = app.CreateClient();
    }

    public static TheoryData<string, string> InvalidBodies()
    {
        var valid = Connections.Valid();
        string J(Dictionary<string, object?> body) => JsonSerializer.Serialize(body);
        return new TheoryData<string, string>
        {
            { J(valid.Without("companyId")), "companyId" },
            { J(valid.With("companyId", 0)), "companyId" },
            { J(valid.With("companyId", -5)), "companyId" },
            { J(valid.With("companyId", "1001")), "companyId" },
            { J(valid.With("companyId", 10.5)), "companyId" },
            { J(valid.With("companyId", "99999999999999999999999")), "companyId" },
            { J(valid.Without("environment")), "environment" },
            { J(valid.With("environment", "Production")), "environment" },
            { J(valid.With("environment", "staging")), "environment" },
            { J(valid.With("environment", 1)), "environment" },
            { J(valid.Without("oauthClient")), "oauthClient" },
            { J(valid.With("oauthClient", "")), "oauthClient" },
            { J(valid.With("oauthClient", "Test App")), "oauthClient" },
            { J(valid.With("oauthClient", 5)), "oauthClient" },
            { J(valid.With("oauthClient", new string('a', 65))), "oauthClient" },
            { J(valid.With("oauthClient", "no-such-client")), "oauthClient" },
            { J(valid.With("oauthClient", "test-app\n")), "oauthClient" },
            { J(valid.With("authFlow", "authorization_code")), "authFlow" },
            { J(valid.With("clientId", "my-app")), "clientId" },
            { J(valid.With("clientSecret", "s")), "clientSecret" },
            { J(valid.With("redirectUri", "https://example.com/cb")), "redirectUri" },
            { J(valid.With("surprise", true)), "surprise" },
            { "{\"companyId\": 1001,", "body" },
            { "[1, 2, 3]", "body" },
            { "null", "body" },
            { "", "body" },
            { "{\"companyId\": 1001} trailing", "body" },
        };
    }

    public static TheoryData<string, string> InvalidClientBodies()
    {
        var valid = Connections.Client();
        string J(Dictionary<string, object?> body) => JsonSerializer.Serialize(body);
        return new TheoryData<string, string>
        {
            { J(valid.Without("authFlow")), "authFlow" },
            { J(valid.With("authFlow", "password")), "authFlow" },
            { J(valid.With("authFlow", "Authorization_Code")), "authFlow" },
            { J(valid.Without("clientId")), "clientId" },
            { J(valid.With("clientId", "")), "clientId" },
            { J(valid.With("clientId", "has space")), "clientId" },
            { J(valid.With("clientId", new string('a', 257))), "clientId" },
            { J(valid.With("clientSecret", "")), "clientSecret" },
            { J(valid.With("clientSecret", new string('s', 513))), "clientSecret" },
            { J(valid.With("clientSecret", 12345)), "clientSecret" },
            { J(valid.With("redirectUri", "/relative")), "redirectUri" },
            { J(valid.With("redirectUri", "http://example.com/cb")), "redirectUri" },
            { J(valid.With("redirectUri", "https://example.com/cb#frag")), "redirectUri" },
            { J(valid.With("redirectUri", "javascript:alert(1)")), "redirectUri" },
            { J(valid.With("authFlow", "client_credentials")), "redirectUri" },
            { J(valid.With("displayName", "")), "displayName" },
            { J(valid.With("displayName", new string('d', 101))), "displayName" },
            { J(valid.With("displayName", "a\u0007b")), "displayName" },
            { J(valid.With("displayName", "Sync \u202EoC dliuB\u202C by BuildCo")), "displayName" }, // right-to-left override
            { J(valid.With("displayName", "Sync\u2028by BuildCo")), "displayName" }, // line separator
            { J(valid.With("displayName", "Sync\u200Dapp")), "displayName" },
            { J(valid.With("displayName", "\u3164\u3164")), "displayName" },
            { J(valid.With("displayName", "\u2800")), "displayName" },
            { J(valid.With("displayName", "   ")), "displayName" },
            { J(valid.With("displayName", "Procore")), "displayName" },
            { J(valid.With("displayName", "Procore Connect")), "displayName" },
            { J(valid.With("displayName", "Sync (partner pb)")), "displayName" },
            { J(valid.With("displayName", "<b>Sync</b>")), "displayName" },
            { J(valid.With("clientSecretExpiresAt", "next year")), "clientSecretExpiresAt" },
            { J(valid.With("public", true)), "public" },
            { "{\"authFlow\": [", "authFlow" },
            { "{,}", "body" },
            { "null", "body" },
        };
    }

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Invalid_body_on_an_existing_workspace_names_the_field_and_changes_nothing(string json, string field)
    {
        var (id, etag) = await CreateAsync();
        var response = await _client.PutAsync($"/api/workspaces/{id}/connection", Json.Raw(json));
        await AssertProblemAsync(response, field);
        await AssertUnchangedAsync(id, etag);
    }

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Invalid_body_on_a_new_workspace_creates_nothing(string json, string field)
    {
        var id = Connections.NewId();
        var response = await _client.PutAsync($"/api/workspaces/{id}/connection", Json.Raw(json));
        await AssertProblemAsync(response, field);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/workspaces/{id}/connection")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(InvalidClientBodies))]
    public async Task Invalid_client_body_names_the_field_and_changes_nothing(string json, string field)
    {
        var name = Connections.NewClientName();
        var created = await _client.PutAsync($"/api/oauth-clients/{name}", Json.Body(Connections.Client()));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        await AssertProblemAsync(await _client.PutAsync($"/api/oauth-clients/{name}", Json.Raw(json)), field);
        Assert.Equal(created.Headers.ETag, (await _client.GetAsync($"/api/oauth-clients/{name}")).Headers.ETag);

        var fresh = Connections.NewClientName();
        await AssertProblemAsync(await _client.PutAsync($"/api/oauth-clients/{fresh}", Json.Raw(json)), field);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/oauth-clients/{fresh}")).StatusCode);
    }

    [Theory]
    [InlineData(" Sync für Baustellen ", "Sync für Baustellen")]
    [InlineData("現場同期アプリ", "現場同期アプリ")]
    [InlineData("Acme sync (code flow)", "Acme sync (code flow)")]
    public async Task A_client_name_in_any_script_is_kept_trimmed(string displayName, string stored)
    {
        var name = Connections.NewClientName();

        var created = await _client.PutAsync($"/api/oauth-clients/{name}", Json.Body(Connections.Client().With("displayName", displayName)));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(stored, (await created.ReadAsync<ProcoreConnect.Clients.OAuthClientResponse>()).DisplayName);
    }

    [Fact]
    public async Task Creating_a_client_without_a_secret_or_changing_its_flow_is_refused()
    {
        var name = Connections.NewClientName();
        await AssertProblemAsync(await _client.PutAsync($"/api/oauth-clients/{name}", Json.Body(Connections.Client().Without("clientSecret"))), "clientSecret");
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/oauth-clients/{name}")).StatusCode);

        var created = await _client.PutAsync($"/api/oauth-clients/{name}", Json.Body(Connections.Client()));
        var changed = Connections.Client(authFlow: "client_credentials");
        await AssertProblemAsync(await _client.PutAsync($"/api/oauth-clients/{name}", Json.Body(changed)), "authFlow");
        Assert.Equal(created.Headers.ETag, (await _client.GetAsync($"/api/oauth-clients/{name}")).Headers.ETag);
    }

    [Fact]
    public async Task Wrong_content_type_is_refused()
    {
        var (id, etag) = await CreateAsync();
        var response = await _client.PutAsync($"/api/workspaces/{id}/connection", Json.Raw(JsonSerializer.Serialize(Connections.Valid()), "text/plain"));
        await AssertProblemAsync(response, "Content-Type");
        await AssertUnchangedAsync(id, etag);
    }

    [Fact]
    public async Task A_huge_body_is_refused()
    {
        var (id, etag) = await CreateAsync();
        var huge = JsonSerializer.Serialize(Connections.Valid().With("oauthClient", new string('x', 200_000)));
        var response = await _client.PutAsync($"/api/workspaces/{id}/connection", Json.Raw(huge));
        await AssertProblemAsync(response, "body");
        await AssertUnchangedAsync(id, etag);
    }

    [Theory]
    [InlineData("UPPER")]
    [InlineData("-leading-hyphen")]
    [InlineData("a'or'1'eq'1")]
    [InlineData("a%20b")]
    [InlineData("ws_underscore")]
    [InlineData("x0123456789012345678901234567890123456789012345678901234567890123")]
    public async Task Ids_outside_the_documented_shape_are_refused_on_every_verb(string id)
    {
        var url = $"/api/workspaces/{id}/connection";
        await AssertProblemAsync(await _client.PutAsync(url, Json.Body(Connections.Valid())), "id");
        await AssertProblemAsync(await _client.GetAsync(url), "id");
        await AssertProblemAsync(await _client.DeleteAsync(url), "id");
        var client = $"/api/oauth-clients/{id}";
        await AssertProblemAsync(await _client.PutAsync(client, Json.Body(Connections.Client())), "name");
        await AssertProblemAsync(await _client.GetAsync(client), "name");
        await AssertProblemAsync(await _client.DeleteAsync(client), "name");
        await AssertProblemAsync(await _client.PutAsync(client + "/secret", Json.Body(new { clientSecret = "s" })), "name");
    }

    [Theory]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("pageSize=ten", "pageSize")]
    [InlineData("continuationToken=%%%", "continuationToken")]
    [InlineData("continuationToken=", "continuationToken")]
    public async Task Bad_list_parameters_are_refused(string query, string field)
    {
        await AssertProblemAsync(await _client.GetAsync("/api/workspaces?" + query), field);
        await AssertProblemAsync(await _client.GetAsync("/api/oauth-clients?" + query), field);
    }

    private async Task<(string Id, string ETag)> CreateAsync()
    {
        var id = Connections.NewId();
        var created = await _client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid()));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (id, created.Headers.ETag!.ToString());
    }

    private async Task AssertUnchangedAsync(string id, string etag)
    {
        var read = await _client.GetAsync($"/api/workspaces/{id}/connection");
        Assert.Equal(etag, read.Headers.ETag!.ToString());
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadJsonAsync();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"expected an error for '{field}', got {errors}");
        Assert.NotEmpty(messages.EnumerateArray().Select(m => m.GetString()));
    }
}
