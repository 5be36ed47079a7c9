using System.Net;
using Microsoft.Extensions.Options;
using ProcoreConnect.Events;
using ProcoreConnect.Tests.Infrastructure;

namespace ProcoreConnect.Tests.Events;

/// <summary>Events are kept for <c>Events__Retention</c> and then deleted by the purge timer (its own app: the clock moves a month).</summary>
public sealed class EventRetentionTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    [Fact]
    public async Task The_purge_timer_deletes_events_past_the_retention_period_and_keeps_younger_ones()
    {
        var partner = fixture.App.ClientFor(AppFactory.DefaultPartner);
        var publisher = fixture.App.Service<EventPublisher>();
        var retention = fixture.App.Service<IOptions<EventOptions>>().Value.Retention;
        Assert.Equal(TimeSpan.FromDays(30), retention);
        await publisher.PublishAsync(AppFactory.DefaultPartner, "old", EventTypes.Connected, null, default);
        fixture.Clock.Advance(retention);
        await publisher.PublishAsync(AppFactory.DefaultPartner, "young", EventTypes.Connected, null, default);
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));

        await ProcoreConnect.WorkspaceConnections.PurgeDeletedWorkspaces.RunAsync(fixture.App.Services, default);

        var response = await partner.GetAsync("/api/partner/events");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var left = (await response.ReadJsonAsync()).GetProperty("items").EnumerateArray().Select(e => e.GetProperty("workspaceId").GetString()).ToList();
        Assert.Equal(["young"], left);
    }
}
