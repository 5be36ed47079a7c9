using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
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
        Assert.Equal(AuthFlow.AuthorizationCode, view.AuthFlow);
        Assert.Equal(body["clientId"], view.ClientId);
        Assert.True(view.ClientSecret.IsSet);
        Assert.Equal(WorkspaceStatus.Pending, view.Status);
        Assert.Equal(new Uri("https://sandbox.procore.com"), view.ApiBaseUrl);

        var read = await _client.GetAsync($"/api/workspaces/{id}/connection");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(created.Headers.ETag, read.Headers.ETag);
        Assert.Equal(view, await read.ReadAsync<ConnectionResponse>());

        var update = body.Without("clientSecret").With("companyId", 2002).With("environment", "monthly");
        var updated = await _client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(update));
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var after = await updated.ReadAsync<ConnectionResponse>();
        Assert.Equal(2002, after.CompanyId);
        Assert.Equal(ProcoreEnvironment.Monthly, after.Environment);
        Assert.Equal(view.ClientSecret, after.ClientSecret);
        Assert.NotEqual(created.Headers.ETag, updated.Headers.ETag);

        var deleted = await _client.DeleteAsync($"/api/workspaces/{id}/connection");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/workspaces/{id}/connection")).StatusCode);
        var again = await _client.DeleteAsync($"/api/workspaces/{id}/connection");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Client_secret_goes_to_the_secret_store_and_old_versions_are_disabled()
    {
        var id = Connections.NewId();
        var first = Connections.NewSecret();
        var body = Connections.Valid(first);
        (await _client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(body))).EnsureSuccessStatusCode();
        var secrets = _app.Service<ISecretStore>();
        var workspace = (await _app.Service<WorkspaceRepository>().FindAsync(id, default))!;
        Assert.Equal(first, await secrets.GetAsync(workspace.ClientSecret, default));

        var second = Connections.NewSecret();
        (await _client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(body.With("clientSecret", second)))).EnsureSuccessStatusCode();
        var changed = (await _app.Service<WorkspaceRepository>().FindAsync(id, default))!;
        Assert.Equal(second, await secrets.GetAsync(changed.ClientSecret, default));
        await Assert.ThrowsAsync<SecretNotFoundException>(() => secrets.GetAsync(workspace.ClientSecret, default));

        (await _client.DeleteAsync($"/api/workspaces/{id}/connection")).EnsureSuccessStatusCode();
        await Assert.ThrowsAsync<SecretNotFoundException>(() => secrets.GetAsync(changed.ClientSecret, default));
    }

    [Fact]
    public async Task Secrets_never_appear_in_responses_logs_or_tables()
    {
        var id = Connections.NewId();
        var secrets = new[] { Connections.NewSecret(), Connections.NewSecret() };
        var body = Connections.Valid(secrets[0]);
        var seen = new List<string>();
        async Task Record(Task<HttpResponseMessage> call)
        {
            var response = await call;
            seen.Add(response.Headers + "\n" + response.Content.Headers + "\n" + await response.Content.ReadAsStringAsync());
        }

        await Record(_client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(body)));
        await Record(_client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(body.With("clientSecret", secrets[1]))));
        await Record(_client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(body.With("clientSecret", secrets[1]).With("companyId", -1))));
        await Record(_client.PutAsync($"/api/workspaces/{id}/connection", Json.Raw($"{{\"clientSecret\": {secrets[1]}}}")));
        await Record(_client.GetAsync($"/api/workspaces/{id}/connection"));
        await Record(_client.GetAsync("/api/workspaces?pageSize=100"));

        var tables = _app.Service<TableStore>();
        var rows = new List<string>();
        foreach (var name in new[] { WorkspaceRepository.TableName, LocalEncryptedSecretStore.TableName })
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
            var secret = Connections.NewSecret();
            using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/workspaces/{id}/connection")
            {
                Content = Json.Body(body.With("companyId", 5000 + n).With("clientSecret", secret)),
            };
            request.Headers.TryAddWithoutValidation("If-Match", etag);
            var response = await _client.SendAsync(request);
            return (n, secret, response);
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
        Assert.Equal(winner.secret, await _app.Service<ISecretStore>().GetAsync(stored.ClientSecret, default));
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

        var changed = await _client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(body.Without("clientSecret").With("clientId", "another-app")));
        var view = await changed.ReadAsync<ConnectionResponse>();
        Assert.Equal(WorkspaceStatus.Pending, view.Status);
        Assert.Null((await repository.FindAsync(id, default))!.Tokens);
        await Assert.ThrowsAsync<SecretNotFoundException>(() => secrets.GetAsync(tokens, default));
    }

    [Fact]
    public async Task List_pages_through_every_workspace_once()
    {
        using var isolated = new AppFactory();
        var client = isolated.CreateClient();
        var ids = Enumerable.Range(0, 5).Select(_ => Connections.NewId()).ToHashSet();
        foreach (var id in ids)
        {
            (await client.PutAsync($"/api/workspaces/{id}/connection", Json.Body(Connections.Valid()))).EnsureSuccessStatusCode();
        }

        var listed = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var url = "/api/workspaces?pageSize=2" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token));
            var page = await (await client.GetAsync(url)).ReadAsync<WorkspaceListResponse>();
            Assert.True(page.Items.Count <= 2);
            listed.AddRange(page.Items.Select(i => i.WorkspaceId));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(ids.Order(), listed.Order());
        Assert.True(pages >= 3);
    }
}
