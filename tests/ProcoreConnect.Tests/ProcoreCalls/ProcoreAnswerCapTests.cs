using System.Net;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.ProcoreCalls;

/// <summary>Where a cap on relayed answers is set (in Azure, where the host buffers them), a larger answer is not read and the call says why.</summary>
public sealed class ProcoreAnswerCapTests(ProcoreAnswerCapTests.CappedFixture fixture) : IClassFixture<ProcoreAnswerCapTests.CappedFixture>
{
    /// <summary>The proxy relays answers of at most 1 MiB.</summary>
    public sealed class CappedFixture : ProcoreFixture
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(base.ExtraSettings)
        {
            ["ProcoreCalls:MaxAnswerBytes"] = "1048576",
        };
    }

    [Fact]
    public async Task An_answer_over_the_cap_is_not_relayed_and_is_logged_as_502_while_one_within_it_is()
    {
        var id = await fixture.ConnectedWorkspaceAsync(fixture.Simulator.Register());

        var within = await fixture.Client.GetAsync($"/api/workspaces/{id}/procore/rest/v1.0/downloads/1048576");
        Assert.Equal(HttpStatusCode.OK, within.StatusCode);
        Assert.Equal(1_048_576, (await within.Content.ReadAsByteArrayAsync()).Length);

        var over = await fixture.Client.GetAsync($"/api/workspaces/{id}/procore/rest/v1.0/downloads/1048577");
        Assert.Equal(HttpStatusCode.BadGateway, over.StatusCode);
        var problem = await over.ReadJsonAsync();
        Assert.Equal("answer_too_large", problem.GetProperty("code").GetString());
        Assert.Contains("1048577 bytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // A streamed answer can reach the client before its call is recorded: wait for both.
        List<int> statuses = [];
        await Wait.UntilAsync(async () =>
        {
            var page = await (await fixture.Client.GetAsync($"/api/workspaces/{id}/procore-calls")).ReadJsonAsync();
            statuses = [.. page.GetProperty("calls").EnumerateArray().Select(c => c.GetProperty("status").GetInt32())];
            return statuses.Count >= 2;
        }, "both calls to reach the call log");
        // Both at the same moment of the fixture's fake clock: in either order.
        Assert.Equal([200, 502], statuses.Order());
    }
}
