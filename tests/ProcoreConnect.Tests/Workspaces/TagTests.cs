using System.Net;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tests.Workspaces;

/// <summary>Partners label workspaces with their own ids and find them by those labels.</summary>
public sealed class TagTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    private HttpClient Client => fixture.Client;

    private async Task<HttpResponseMessage> PutAsync(string id, object? tags, HttpClient? caller = null)
    {
        var body = Connections.Valid();
        return await (caller ?? Client).PutAsync($"/api/workspaces/{id}/connection", Json.Body(tags is null ? body : body.With("tags", tags)));
    }

    private async Task<string[]> FindAsync(string query, HttpClient? caller = null)
    {
        var response = await (caller ?? Client).GetAsync("/api/workspaces?" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.ReadAsync<WorkspaceListResponse>()).Items.Select(w => w.WorkspaceId)];
    }

    private static string Unique(string stem) => stem + "-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Workspaces_are_found_by_every_tag_they_carry_and_only_by_those()
    {
        var customer = Unique("cus");
        var (a, b, c) = (Connections.NewId(), Connections.NewId(), Connections.NewId());
        var created = await PutAsync(a, new Dictionary<string, string> { ["customerId"] = customer, ["region"] = "eu" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("eu", (await created.ReadAsync<ConnectionResponse>()).Tags["region"]);
        await PutAsync(b, new Dictionary<string, string> { ["customerId"] = customer, ["region"] = "us" });
        await PutAsync(c, new Dictionary<string, string> { ["customerId"] = customer + "x" });

        Assert.Equal(new[] { a, b }.Order(StringComparer.Ordinal), await FindAsync($"tag.customerId={customer}"));
        Assert.Equal([a], await FindAsync($"tag.customerId={customer}&tag.region=eu"));
        Assert.Empty(await FindAsync($"tag.customerId={customer}&tag.region=ap"));
        Assert.Equal([c], await FindAsync($"tag.customerId={customer}x"));
        Assert.Equal(new Dictionary<string, string> { ["customerId"] = customer, ["region"] = "us" },
            (await (await Client.GetAsync($"/api/workspaces/{b}/connection")).ReadAsync<ConnectionResponse>()).Tags);
    }

    [Fact]
    public async Task Values_with_any_printable_characters_are_found_exactly()
    {
        var id = Connections.NewId();
        var value = "Ünïcode / with ? # and : " + Guid.NewGuid().ToString("N")[..6];
        await PutAsync(id, new Dictionary<string, string> { ["name"] = value });

        Assert.Equal([id], await FindAsync("tag.name=" + Uri.EscapeDataString(value)));
        Assert.Empty(await FindAsync("tag.name=" + Uri.EscapeDataString(value[..^1])));
    }

    [Fact]
    public async Task The_longest_values_in_any_script_keep_their_index_keys_within_table_storage_limits()
    {
        // 256 characters of CJK are 768 bytes of UTF-8: the value itself in a key would take 1,024
        // characters of base64, over Table Storage's 1 KiB key (Azurite does not enforce it).
        var id = Connections.NewId();
        var key = new string('k', 64);
        var value = string.Concat(Enumerable.Repeat("建設会社", 64));
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(id, new Dictionary<string, string> { [key] = value })).StatusCode);

        Assert.Equal([id], await FindAsync($"tag.{key}=" + Uri.EscapeDataString(value)));
        var table = await fixture.App.Service<ProcoreConnect.Storage.TableStore>().GetAsync(WorkspaceTagIndex.TableName, default);
        var keys = new List<string>();
        await foreach (var entry in table.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == AppFactory.DefaultPartner))
        {
            keys.Add(entry.RowKey);
        }

        Assert.Contains(keys, k => k.EndsWith(":" + id, StringComparison.Ordinal));
        Assert.All(keys, k => Assert.True(k.Length * sizeof(char) <= 1024, $"a {k.Length}-character key"));
    }

    [Fact]
    public async Task Concurrent_writes_of_the_same_tags_leave_the_workspace_findable_whichever_wins()
    {
        // A partner's retried PUT races its first try: the loser must not take the winner's entries with it.
        var id = Connections.NewId();
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(id, null)).StatusCode);
        for (var round = 0; round < 3; round++)
        {
            var value = Unique("crm");
            var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PutAsync(id, new Dictionary<string, string> { ["crm"] = value })));

            Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.OK);
            Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, a.StatusCode.ToString()));
            Assert.Equal([id], await FindAsync("tag.crm=" + value));
        }
    }

    [Fact]
    public async Task Tags_left_out_stay_an_empty_object_clears_them_and_the_index_follows()
    {
        var id = Connections.NewId();
        var tag = Unique("t");
        await PutAsync(id, new Dictionary<string, string> { ["team"] = tag });

        var kept = await PutAsync(id, null); // a settings change that does not mention tags
        Assert.Equal(tag, (await kept.ReadAsync<ConnectionResponse>()).Tags["team"]);
        Assert.Equal([id], await FindAsync($"tag.team={tag}"));

        var changed = await PutAsync(id, new Dictionary<string, string> { ["team"] = tag + "-2" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Empty(await FindAsync($"tag.team={tag}"));
        Assert.Equal([id], await FindAsync($"tag.team={tag}-2"));

        var cleared = await PutAsync(id, new Dictionary<string, string>());
        Assert.Empty((await cleared.ReadAsync<ConnectionResponse>()).Tags);
        Assert.Empty(await FindAsync($"tag.team={tag}-2"));
    }

    [Fact]
    public async Task A_deleted_workspace_and_another_partners_workspaces_are_not_found()
    {
        var tag = Unique("shared");
        var mine = Connections.NewId();
        await PutAsync(mine, new Dictionary<string, string> { ["crm"] = tag });
        var other = fixture.App.ClientFor("partner-b");
        var theirs = Connections.NewId();
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(theirs, new Dictionary<string, string> { ["crm"] = tag }, other)).StatusCode);

        Assert.Equal([mine], await FindAsync($"tag.crm={tag}"));
        Assert.Equal([theirs], await FindAsync($"tag.crm={tag}", other));

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/workspaces/{mine}/connection")).StatusCode);
        Assert.Empty(await FindAsync($"tag.crm={tag}"));

        // Created again, the id does not inherit the old tags.
        await PutAsync(mine, null);
        Assert.Empty(await FindAsync($"tag.crm={tag}"));
    }

    [Fact]
    public async Task A_tag_index_entry_left_behind_finds_nothing()
    {
        var id = Connections.NewId();
        var tag = Unique("stale");
        await PutAsync(id, null);
        // As a crash between the index write and the row write would leave it.
        await fixture.App.Service<WorkspaceTagIndex>().AddAsync(new WorkspaceRef(AppFactory.DefaultPartner, id), [new("crm", tag)], default);

        Assert.Empty(await FindAsync($"tag.crm={tag}"));
    }

    public static TheoryData<string, string> BadTags() => new()
    {
        { """{"-starts-with-dash":"x"}""", "tags" },
        { """{"has space":"x"}""", "tags" },
        { """{"ok":""}""", "tags.ok" },
        { """{"ok":null}""", "tags.ok" },
        { """{"ok":"line\nbreak"}""", "tags.ok" },
        { "{\"ok\":\"" + new string('v', 257) + "\"}", "tags.ok" },
        { "{" + string.Join(",", Enumerable.Range(0, 17).Select(i => $"\"k{i}\":\"v\"")) + "}", "tags" },
        { """{"ok":5}""", "tags.ok" },
        { """["a"]""", "tags" },
    };

    [Theory]
    [MemberData(nameof(BadTags))]
    public async Task Bad_tags_are_refused_naming_the_field_and_nothing_is_written(string tagsJson, string field)
    {
        var id = Connections.NewId();
        var body = $$"""{"companyId":1001,"environment":"sandbox","oauthClient":"{{Connections.DefaultClient}}","tags":{{tagsJson}}}""";

        var response = await Client.PutAsync($"/api/workspaces/{id}/connection", Json.Raw(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/workspaces/{id}/connection")).StatusCode);
    }

    [Theory]
    [InlineData("tag.bad%20key=x", "tag.bad key")]
    [InlineData("tag.k=", "tag.k")]
    [InlineData("tag.k=a&tag.k=b", "tag.k")]
    [InlineData("tag.a=1&tag.b=2&tag.c=3&tag.d=4&tag.e=5", "tag.*")]
    public async Task Bad_tag_filters_are_refused_naming_the_parameter(string query, string parameter)
    {
        var response = await Client.GetAsync("/api/workspaces?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty(parameter, out _), await response.Content.ReadAsStringAsync());
    }
}
