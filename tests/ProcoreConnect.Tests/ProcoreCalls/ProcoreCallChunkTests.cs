using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using ProcoreConnect.Http;
using ProcoreConnect.ProcoreCalls;
using ProcoreConnect.Storage;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.ProcoreCalls;

/// <summary>
/// The call log as stored: many calls to a row, paged by calls; a partner's flood that drops only
/// its own calls and says so; a deleted workspace's log gone with it; the purge past retention.
/// </summary>
public sealed class ProcoreCallChunkTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    private HttpClient Client => fixture.Client;

    private static string Proxy(string id, string path) => $"/api/workspaces/{id}/procore/{path}";

    private async Task<JsonElement> PageAsync(HttpClient client, string id, int size, string? token = null)
    {
        var response = await client.GetAsync($"/api/workspaces/{id}/procore-calls?pageSize={size}" + (token is null ? "" : "&continuationToken=" + token));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    private async Task CallAsync(string id, string path)
    {
        fixture.Clock.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync(Proxy(id, path))).StatusCode);
    }

    [Fact]
    public async Task Calls_written_in_several_chunks_page_newest_first_each_once()
    {
        var id = await fixture.ConnectedWorkspaceAsync(fixture.Simulator.Register());
        for (var i = 1; i <= 7; i++)
        {
            await CallAsync(id, $"rest/v1.0/echo/{i}");
            if (i is 3 or 4)
            {
                await PageAsync(Client, id, 1); // a list writes what is waiting: chunks of 3, 1 and 3 calls
            }
        }

        var paths = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await PageAsync(Client, id, 3, token);
            paths.AddRange(page.GetProperty("calls").EnumerateArray().Select(c => c.GetProperty("path").GetString()!));
            token = page.GetProperty("continuationToken").GetString();
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal([.. Enumerable.Range(1, 7).Reverse().Select(i => $"rest/v1.0/echo/{i}")], paths);
        Assert.Equal(3, pages);
        var rows = await RowsAsync(await WorkspaceKeyAsync(id));
        Assert.Equal(3, rows.Count(r => !r.RowKey.StartsWith(CallCountsEntity.Prefix, StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("0000000000000000000-zzzzzzzz:1")]
    [InlineData("0000000000000000000-0000000a")]
    [InlineData("0000000000000000000-0000000a:-1")]
    [InlineData("h0000000000000000000-0000000a:0")]
    public async Task A_continuation_token_this_api_did_not_make_is_refused(string cursor)
    {
        var id = await fixture.ConnectedWorkspaceAsync(fixture.Simulator.Register());
        var response = await Client.GetAsync($"/api/workspaces/{id}/procore-calls?continuationToken={Paging.Encode(cursor)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("continuationToken", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_partner_flooding_the_log_drops_only_its_own_calls_and_they_are_counted_as_not_logged()
    {
        var flooder = fixture.App.ClientFor("partner-flood");
        var flooded = await fixture.CreateWorkspaceAsync(fixture.Simulator.Register(), authFlow: "client_credentials", caller: flooder);
        var id = await fixture.ConnectedWorkspaceAsync(fixture.Simulator.Register());
        var recorder = fixture.App.Services.GetRequiredService<ProcoreCallRecorder>();

        // Calls answered locally cost the flooder nothing at Procore; recorded straight in, faster than any writer drains them.
        for (var i = 0; i < ProcoreCallRecorder.Capacity; i++)
        {
            recorder.Record(new ProcoreCallEntry
            {
                PartnerId = "partner-flood", WorkspaceId = flooded, At = fixture.Clock.GetUtcNow(), Method = "GET", Path = "rest/v1.0/flood", Status = 429, AnsweredLocally = true,
            });
        }

        for (var i = 1; i <= 20; i++)
        {
            await CallAsync(id, $"rest/v1.0/echo/{i}");
        }

        var page = await PageAsync(Client, id, 100);
        Assert.Equal(20, page.GetProperty("calls").GetArrayLength());
        var health = await (await Client.GetAsync($"/api/workspaces/{id}/procore-calls/health")).ReadJsonAsync();
        Assert.Equal(0, health.GetProperty("notLogged").GetInt32());

        // Every call is counted; those past the flooder's share (less what a flush took meanwhile) are not logged, and said to be.
        var flood = await (await flooder.GetAsync($"/api/workspaces/{flooded}/procore-calls/health")).ReadJsonAsync();
        var notLogged = flood.GetProperty("notLogged").GetInt32();
        Assert.Equal(ProcoreCallRecorder.Capacity, flood.GetProperty("calls").GetInt32());
        Assert.Equal(ProcoreCallRecorder.Capacity, flood.GetProperty("observations").EnumerateArray().Single(o => o.GetProperty("status").GetInt32() == 429).GetProperty("count").GetInt32());
        Assert.InRange(notLogged, 1, ProcoreCallRecorder.Capacity - ProcoreCallRecorder.PartnerShare);
        var warned = fixture.App.Logs.Lines
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, @"(\d+) Procore calls were not logged: their partners \(partner-flood\)"))
            .Where(m => m.Success).Sum(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(notLogged, warned);
    }

    [Fact]
    public async Task A_deleted_workspace_takes_its_call_log_with_it()
    {
        var id = await fixture.ConnectedWorkspaceAsync(fixture.Simulator.Register());
        var key = await WorkspaceKeyAsync(id);
        await CallAsync(id, "rest/v1.0/echo/gone");
        Assert.Equal(1, (await PageAsync(Client, id, 10)).GetProperty("calls").GetArrayLength());
        Assert.NotEmpty(await RowsAsync(key));

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/workspaces/{id}/connection")).StatusCode);

        Assert.Empty(await RowsAsync(key));
    }

    [Fact]
    public async Task The_purge_deletes_every_row_past_retention_a_page_at_a_time_and_keeps_the_rest()
    {
        var services = fixture.App.Services;
        var table = await services.GetRequiredService<TableStore>().GetAsync(ProcoreCallLog.TableName, CancellationToken.None);
        var partition = "purge-" + Guid.NewGuid().ToString("N");
        var now = fixture.Clock.GetUtcNow();
        var old = now - TimeSpan.FromDays(15);

        // More than one storage page (1,000 rows) of expired chunks, and a chunk and a counts row still within retention.
        var expired = Enumerable.Range(0, 1_050).Select(i => new CallChunkEntity { PartitionKey = partition, RowKey = ProcoreCallLog.ChunkKey(old.AddSeconds(-i)), At = old.AddSeconds(-i), Count = 0 });
        await TableTransactions.UpsertAllAsync(table, expired, CancellationToken.None);
        var kept = new CallChunkEntity { PartitionKey = partition, RowKey = ProcoreCallLog.ChunkKey(now), At = now };
        var counts = new CallCountsEntity { PartitionKey = partition, RowKey = ProcoreCallLog.CountsKey(ProcoreCallLog.Hour(now), "test"), At = ProcoreCallLog.Hour(now), Calls = 1 };
        var oldCounts = new CallCountsEntity { PartitionKey = partition, RowKey = ProcoreCallLog.CountsKey(ProcoreCallLog.Hour(old), "test"), At = ProcoreCallLog.Hour(old), Calls = 1 };
        await TableTransactions.UpsertAllAsync(table, [kept, counts, oldCounts], CancellationToken.None);

        await PurgeProcoreCalls.RunAsync(services, CancellationToken.None);

        Assert.Equal([kept.RowKey, counts.RowKey], (await RowsAsync(partition)).Select(r => r.RowKey).Order(StringComparer.Ordinal));
    }

    private async Task<string> WorkspaceKeyAsync(string id) =>
        (await fixture.App.Services.GetRequiredService<ProcoreConnect.Workspaces.WorkspaceRepository>()
            .FindAsync(new ProcoreConnect.Workspaces.WorkspaceRef(AppFactory.DefaultPartner, id), CancellationToken.None))!.Key;

    private async Task<List<TableEntity>> RowsAsync(string partition)
    {
        var table = await fixture.App.Services.GetRequiredService<TableStore>().GetAsync(ProcoreCallLog.TableName, CancellationToken.None);
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), select: ["PartitionKey", "RowKey"]))
        {
            rows.Add(row);
        }

        return rows;
    }
}
