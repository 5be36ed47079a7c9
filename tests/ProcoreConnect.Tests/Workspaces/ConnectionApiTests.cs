using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using ProcoreConnect.Clients;
using ProcoreConnect.Procore;
using ProcoreConnect.Secrets;
using ProcoreConnect.Storage;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Tokens;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tests.Workspaces;

public sealed class ConnectionApiTests : IClassFixture<AppFactory>
{
    private readonly AppFactory _app;
    private readonly HttpClient _client;

    public ConnectionApiTests(AppFactory app)
    {
        _app = app;
        _client = app.CreateClient();
    }

    [Theory]
    [InlineData("companyId", "companyId")]
    [InlineData("tags", "tags.a")]
    public async Task A_member_sent_twice_is_a_400_naming_it_not_a_silent_last_wins(string twice, string field)
    {
        var id = Connections.NewId();
        var json = twice == "companyId"
            ? $$$"""{"companyId":1001,"environment":"sandbox","oauthClient":"{{{Connections.DefaultClient}}}","companyId":2002}"""
            : $$$"""{"companyId":1001,"environment":"sandbox","oauthClient":"{{{Connections.DefaultClient}}}","tags":{"a":"1","a":"2"}}""";

        var response = await _client.PutAsync($"/api/workspaces/{id}/connection", Json.Raw(json));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(e => e.Name));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/workspaces/{id}/connection")).StatusCode);
    }

    [Fact]
    public async Task Create_read_update_delete_round_trip()
    {
        var id = Connections.NewId();
        var body = Connections.Valid();

        var created = await _client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(body));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/workspaces/{id}/connection", created.Headers.Location?.OriginalString);
        Assert.NotNull(created.Headers.ETag);
        var view = await created.ReadAsync<ConnectionResponse>();
        Assert.Equal(id, view.WorkspaceId);
        Assert.Equal(1001, view.CompanyId);
        Assert.Equal(ProcoreEnvironment.Sandbox, view.Environment);
        Assert.Equal(Connections.DefaultClient, view.OAuthClient);
        Assert.False(view.OAuthClientPublic);
        Assert.Equal(AuthFlow.AuthorizationCode, view.AuthFlow);
        Assert.Equal(WorkspaceStatus.Pending, view.Status);
        Assert.Equal(new Uri(AppFactory.ClosedPort), view.ApiBaseUrl); // the configured sandbox API base

        var read = await _client.GetAsync($"/api/workspaces/{id}/connection");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(created.Headers.ETag, read.Headers.ETag);
        Assert.Equal(await created.Content.ReadAsStringAsync(), await read.Content.ReadAsStringAsync()); // the same view, byte for byte

        var update = body.With("companyId", 2002).With("environment", "monthly");
        var updated = await _client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(update));
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var after = await updated.ReadAsync<ConnectionResponse>();
        Assert.Equal(2002, after.CompanyId);
        Assert.Equal(ProcoreEnvironment.Monthly, after.Environment);
        Assert.NotEqual(created.Headers.ETag, updated.Headers.ETag);

        var deleted = await _client.DeleteAsync($"/api/workspaces/{id}/connection");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/workspaces/{id}/connection")).StatusCode);
        var again = await _client.DeleteAsync($"/api/workspaces/{id}/connection");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Secrets_never_appear_in_responses_logs_or_tables()
    {
        var id = Connections.NewId();
        var client = Connections.NewClientName();
        var secrets = new[] { Connections.NewSecret(), Connections.NewSecret() };
        var clientBody = Connections.Client(secrets[0]);
        var seen = new List<string>();
        async Task Record(Task<HttpResponseMessage> call)
        {
            var response = await call;
            seen.Add(response.Headers + "\n" + response.Content.Headers + "\n" + await response.Content.ReadAsStringAsync());
        }

        await Record(_client.PutAsync($"/api/oauth-clients/{client}", Json.Body(clientBody)));
        await Record(_client.PutAsync($"/api/oauth-clients/{client}", Json.Body(clientBody.With("clientSecret", secrets[1]))));
        await Record(_client.PutAsync($"/api/oauth-clients/{client}", Json.Body(clientBody.With("clientSecret", secrets[1]).With("authFlow", "nope"))));
        await Record(_client.PutAsync($"/api/oauth-clients/{client}", Json.Raw($"{{\"clientSecret\": {secrets[1]}}}")));
        await Record(_client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid(client))));
        await Record(_client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid(client).With("clientSecret", secrets[1]))));
        await Record(_client.GetAsync($"/api/workspaces/{id}/connection"));
        await Record(_client.GetAsync($"/api/oauth-clients/{client}"));
        await Record(_client.GetAsync("/api/oauth-clients?pageSize=100"));
        await Record(_client.GetAsync("/api/workspaces?pageSize=100"));

        var tables = _app.Service<TableStore>();
        var rows = new List<string>();
        foreach (var name in new[] { WorkspaceRepository.TableName, ProcoreConnect.Clients.OAuthClientRepository.TableName, LocalEncryptedSecretStore.TableName })
        {
            var table = await tables.GetAsync(name, default);
            await foreach (var row in table.QueryAsync<TableEntity>())
            {
                rows.Add(string.Join(";", row.Select(p => p.Value is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes) : p.Value?.ToString())));
            }
        }

        Assert.NotEmpty(rows);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(seen, s => s.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(_app.Logs.Lines, l => l.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(rows, r => r.Contains(secret, StringComparison.Ordinal));
        }

        Assert.Contains(_app.Logs.Lines, l => l.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Concurrent_updates_with_the_same_etag_have_exactly_one_winner()
    {
        var id = Connections.NewId();
        var body = Connections.Valid();
        var created = await _client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(body));
        var etag = created.Headers.ETag!.ToString();

        var contenders = Enumerable.Range(1, 10).Select(async n =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/workspaces/{id}/connection")
            {
                Content = Json.Body(body.With("companyId", 5000 + n)),
            };
            request.Headers.TryAddWithoutValidation("If-Match", etag);
            var response = await _client.SendAsync(request);
            return (n, response);
        }).ToList();
        var results = await Task.WhenAll(contenders);

        var winners = results.Where(r => r.response.StatusCode == HttpStatusCode.OK).ToList();
        var winner = Assert.Single(winners);
        foreach (var loser in results.Where(r => r.response.StatusCode != HttpStatusCode.OK))
        {
            Assert.True(
                loser.response.StatusCode != HttpStatusCode.InternalServerError,
                string.Join("\n", _app.Logs.Lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal))));

            Assert.Contains(loser.response.StatusCode, new[] { HttpStatusCode.Conflict, HttpStatusCode.PreconditionFailed });
            Assert.Equal("application/problem+json", loser.response.Content.Headers.ContentType?.MediaType);
        }

        var stored = (await _app.Service<WorkspaceRepository>().FindAsync(id, default))!;
        Assert.Equal(5000 + winner.n, stored.CompanyId);
    }

    [Fact]
    public async Task A_stale_if_match_is_refused_and_changes_nothing()
    {
        var id = Connections.NewId();
        var body = Connections.Valid();
        var created = await _client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(body));
        (await _client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(body.With("companyId", 7)))).EnsureSuccessStatusCode();
        var before = await _client.GetAsync($"/api/workspaces/{id}/connection");

        using var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/workspaces/{id}/connection") { Content = Json.Body(body.With("companyId", 8)) };
        stale.Headers.TryAddWithoutValidation("If-Match", created.Headers.ETag!.ToString());
        var refused = await _client.SendAsync(stale);
        Assert.Equal(HttpStatusCode.PreconditionFailed, refused.StatusCode);

        using var staleDelete = new HttpRequestMessage(HttpMethod.Delete, $"/api/workspaces/{id}/connection");
        staleDelete.Headers.TryAddWithoutValidation("If-Match", created.Headers.ETag!.ToString());
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await _client.SendAsync(staleDelete)).StatusCode);

        var after = await _client.GetAsync($"/api/workspaces/{id}/connection");
        Assert.Equal(before.Headers.ETag, after.Headers.ETag);
        Assert.Equal(7, (await after.ReadAsync<ConnectionResponse>()).CompanyId);
    }

    [Fact]
    public async Task Repository_refuses_a_write_based_on_a_stale_read()
    {
        var id = Connections.NewId();
        (await _client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid()))).EnsureSuccessStatusCode();
        var repository = _app.Service<WorkspaceRepository>();
        var first = (await repository.FindAsync(id, default))!;
        var second = (await repository.FindAsync(id, default))!;

        await repository.UpdateAsync(first with { CompanyId = 11 }, default);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => repository.UpdateAsync(second with { CompanyId = 12 }, default));
        Assert.Equal(11, (await repository.FindAsync(id, default))!.CompanyId);
    }

    [Fact]
    public async Task Changing_environment_or_client_resets_the_connection()
    {
        var id = Connections.NewId();
        var body = Connections.Valid();
        (await _client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(body))).EnsureSuccessStatusCode();
        var repository = _app.Service<WorkspaceRepository>();
        var secrets = _app.Service<ISecretStore>();
        var workspace = (await repository.FindAsync(id, default))!;
        var tokens = await secrets.SetAsync(SecretNames.Tokens(workspace.SecretPrefix), new TokenSecret("access-value", "refresh-value").Serialize(), default);
        await repository.UpdateAsync(workspace with { Status = WorkspaceStatus.Connected, Tokens = tokens }, default);

        var another = Connections.NewClientName();
        (await _client.PutAsync($"/api/oauth-clients/{another}", Json.Body(Connections.Client()))).EnsureSuccessStatusCode();
        var changed = await _client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(body.With("oauthClient", another)));
        var view = await changed.ReadAsync<ConnectionResponse>();
        Assert.Equal(WorkspaceStatus.Pending, view.Status);
        Assert.Equal(another, view.OAuthClient);
        Assert.Null((await repository.FindAsync(id, default))!.Tokens);
        await Assert.ThrowsAsync<SecretNotFoundException>(() => secrets.GetAsync(tokens, default));
    }

    [Theory]
    [InlineData("authFlow", "authorization_code")]
    [InlineData("clientId", "my-app")]
    [InlineData("clientSecret", "s3cret-value")]
    [InlineData("clientSecretExpiresAt", "2027-01-01T00:00:00Z")]
    [InlineData("redirectUri", "https://connect.example.com/cb")]
    public async Task Inline_credentials_are_refused_with_where_they_moved_and_change_nothing(string field, string value)
    {
        var id = Connections.NewId();
        var response = await _client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid().With(field, value)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = (await response.ReadJsonAsync()).GetProperty("errors").GetProperty(field)[0].GetString();
        Assert.Contains("moved to OAuth clients", message, StringComparison.Ordinal);
        Assert.Contains("oauthClient", message, StringComparison.Ordinal);
        Assert.DoesNotContain(value, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await _app.Service<WorkspaceRepository>().FindAsync(id, default));
    }

    [Fact]
    public async Task An_unknown_or_another_partners_client_is_refused_naming_oauth_client()
    {
        var theirs = Connections.NewClientName();
        (await _app.ClientFor("partner-b").PutAsync($"/api/oauth-clients/{theirs}", Json.Body(Connections.Client()))).EnsureSuccessStatusCode();

        foreach (var name in new[] { Connections.NewClientName(), theirs })
        {
            var id = Connections.NewId();
            var response = await _client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid(name)));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("oauthClient", out _));
            Assert.Null(await _app.Service<WorkspaceRepository>().FindAsync(id, default));
        }
    }

    [Fact]
    public async Task Workspace_ids_are_scoped_by_partner()
    {
        var id = Connections.NewId();
        var other = _app.ClientFor("partner-b");
        var mine = await _client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid()));
        var theirs = await other.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid().With("companyId", 2002)));

        // Each partner created its own: the second learned nothing of the first.
        Assert.Equal(HttpStatusCode.Created, mine.StatusCode);
        Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);
        Assert.Equal(1001, (await (await _client.GetAsync($"/api/workspaces/{id}/connection")).ReadAsync<ConnectionResponse>()).CompanyId);
        Assert.Equal(2002, (await (await other.GetAsync($"/api/workspaces/{id}/connection")).ReadAsync<ConnectionResponse>()).CompanyId);

        Assert.Equal(HttpStatusCode.NoContent, (await other.DeleteAsync($"/api/workspaces/{id}/connection")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"/api/workspaces/{id}/connection")).StatusCode);
    }

    [Fact]
    public async Task A_client_being_deleted_cannot_be_chosen()
    {
        var name = Connections.NewClientName();
        (await _client.PutAsync($"/api/oauth-clients/{name}", Json.Body(Connections.Client()))).EnsureSuccessStatusCode();
        var clients = _app.Service<ProcoreConnect.Clients.OAuthClientRepository>();
        var client = (await clients.FindAsync(new ProcoreConnect.Clients.OAuthClientRef(AppFactory.DefaultPartner, name), default))!;
        await clients.UpdateAsync(client with { Status = ProcoreConnect.Clients.OAuthClientStatus.Deleting }, default);

        var id = Connections.NewId();
        var response = await _client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid(name)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(await _app.Service<WorkspaceRepository>().FindAsync(id, default));
    }

    [Fact]
    public async Task Creates_racing_a_client_delete_never_leave_a_workspace_on_a_deleted_client()
    {
        const int Rounds = 12;
        var repository = _app.Service<WorkspaceRepository>();
        var clients = _app.Service<ProcoreConnect.Clients.OAuthClientRepository>();
        int deleted = 0, refused = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var name = Connections.NewClientName();
            (await _client.PutAsync($"/api/oauth-clients/{name}", Json.Body(Connections.Client()))).EnsureSuccessStatusCode();
            var ids = Enumerable.Range(0, 6).Select(_ => Connections.NewId()).ToList();
            var creates = ids.Select(id => _client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid(name)))).ToList();
            var delete = _client.DeleteAsync($"/api/oauth-clients/{name}");
            await Task.WhenAll([.. creates, delete]);

            var kept = new List<string>();
            foreach (var id in ids)
            {
                if (await repository.FindAsync(id, default) is { } workspace)
                {
                    Assert.Equal(name, workspace.Client.Name);
                    kept.Add(id);
                }
            }

            var clientLeft = await clients.FindAsync(new ProcoreConnect.Clients.OAuthClientRef(AppFactory.DefaultPartner, name), default);
            if ((await delete).StatusCode == HttpStatusCode.NoContent)
            {
                deleted++;
                Assert.Null(clientLeft);
                Assert.Empty(kept);
            }
            else
            {
                // Refused while it counted workspaces (which may have undone themselves meanwhile): the client stays.
                refused++;
                Assert.Equal(HttpStatusCode.Conflict, (await delete).StatusCode);
                Assert.Equal(ProcoreConnect.Clients.OAuthClientStatus.Active, clientLeft!.Status);
            }
        }

        Assert.Equal(Rounds, deleted + refused);
    }

    [Fact]
    public async Task A_workspace_written_after_its_client_was_deleted_is_undone()
    {
        // The workspace insert is held at storage: the create has read the client (active), the
        // delete marks, counts no workspace and removes the client, then the insert lands.
        var held = new HeldInsert("Workspaces");
        using var slowed = new AppFactory().WithServices(s => s.AddSingleton(HoldingWorkspaceInserts(held)));
        var client = slowed.CreateClient();
        var name = Connections.NewClientName();
        (await client.PutAsync($"/api/oauth-clients/{name}", Json.Body(Connections.Client()))).EnsureSuccessStatusCode();
        var id = Connections.NewId();

        var create = client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid(name)));
        await Wait.ForAsync(held.Reached, "the create to reach its workspace insert");
        var delete = await Wait.ForAsync(client.DeleteAsync($"/api/oauth-clients/{name}"), "the client's delete");
        held.Release();

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        var created = await create;
        Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
        Assert.True((await created.ReadJsonAsync()).GetProperty("errors").TryGetProperty("oauthClient", out _));
        Assert.Null(await slowed.Service<WorkspaceRepository>().FindAsync(id, default));
    }

    [Fact]
    public async Task A_create_that_loses_to_a_concurrent_create_says_so_and_nothing_of_a_refresh_token()
    {
        // The first create's insert is held at storage while a second create of the same id lands.
        var held = new HeldInsert("Workspaces");
        using var slowed = new AppFactory().WithServices(s => s.AddSingleton(HoldingWorkspaceInserts(held)));
        var client = slowed.CreateClient();
        var name = Connections.NewClientName();
        (await client.PutAsync($"/api/oauth-clients/{name}", Json.Body(Connections.Client()))).EnsureSuccessStatusCode();
        var id = Connections.NewId();

        var first = client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid(name)));
        await Wait.ForAsync(held.Reached, "the first create to reach its workspace insert");
        var second = await Wait.ForAsync(client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid(name))), "the second create");
        held.Release();

        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        var lost = await first;
        Assert.Equal(HttpStatusCode.Conflict, lost.StatusCode);
        var detail = (await lost.ReadJsonAsync()).GetProperty("detail").GetString()!;
        Assert.Contains("was created by a concurrent request", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("refresh token", detail, StringComparison.Ordinal);
    }

    private static TableServiceClient HoldingWorkspaceInserts(HeldInsert held)
    {
        var options = new TableClientOptions();
        options.AddPolicy(held, Azure.Core.HttpPipelinePosition.PerCall);
        return new TableServiceClient(Azurite.Instance.ConnectionString, options);
    }

    /// <summary>Holds the first insert (POST) into one table until the test releases it, and says when it arrived.</summary>
    private sealed class HeldInsert(string table) : Azure.Core.Pipeline.HttpPipelinePolicy
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reached => _reached.Task;

        public void Release() => _released.TrySetResult();

        public override void Process(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline)
        {
            if (message.Request.Method == Azure.Core.RequestMethod.Post && message.Request.Uri.Path.EndsWith(table, StringComparison.Ordinal)
                && _reached.TrySetResult())
            {
                await _released.Task;
            }

            await ProcessNextAsync(message, pipeline);
        }
    }
}
