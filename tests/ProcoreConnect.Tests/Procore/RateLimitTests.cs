using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Validation;
using ProcoreSimulator.State;

namespace ProcoreConnect.Tests.Procore;

public sealed class RateLimitTests(ProcoreFixture fixture) : IClassFixture<ProcoreFixture>
{
    [Fact]
    public async Task A_token_over_procores_reported_limit_is_not_used_again_until_the_reset()
    {
        var app = fixture.Simulator.Register() with { Companies = [new SimulatedCompany(1001, "Company 1001", [1])] };
        fixture.Simulator.State.Register(app);
        var id = await fixture.CreateWorkspaceAsync(app, "client_credentials");
        // A spike limit of 2 per 10 seconds: the second call leaves 0, which the headers say.
        fixture.Simulator.State.SetFaults(new SimulatorFaults { SpikeLimitPer10Seconds = 2 });
        var before = await fixture.Simulator.StatsAsync();

        var first = await (await fixture.Client.PostAsync($"/api/workspaces/{id}/validate", null)).ReadAsync<ValidationReport>();
        var second = await (await fixture.Client.PostAsync($"/api/workspaces/{id}/validate", null)).ReadAsync<ValidationReport>();

        // /me and /companies were sent; then nothing more until Procore's X-Rate-Limit-Reset.
        Assert.Equal(2, (await fixture.Simulator.StatsAsync()).ApiRequests - before.ApiRequests);
        Assert.False(first.Ok);
        Assert.Equal(429, first.Checks[^1].HttpStatus);
        Assert.Contains("rate limit", first.Fix, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(" until ", first.Fix, StringComparison.Ordinal);
        Assert.Equal(429, second.Checks.Single(c => c.Name == "me").HttpStatus);

        fixture.Simulator.State.SetFaults(new SimulatorFaults());
        // Procore's reset comes from the simulator's real clock; the app reads the fixture's clock,
        // which stood still since the fixture started. Past the reset on both, whatever setup took.
        var now = DateTimeOffset.UtcNow > fixture.Clock.GetUtcNow() ? DateTimeOffset.UtcNow : fixture.Clock.GetUtcNow();
        fixture.Clock.SetUtcNow(now.AddSeconds(11));
        var third = await (await fixture.Client.PostAsync($"/api/workspaces/{id}/validate", null)).ReadAsync<ValidationReport>();
        Assert.True(third.Ok, third.Fix);
    }
}
