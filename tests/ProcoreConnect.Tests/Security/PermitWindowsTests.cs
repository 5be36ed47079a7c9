using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ProcoreConnect.Procore;
using ProcoreConnect.Security;
using ProcoreConnect.Tests.Infrastructure;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tests.Security;

/// <summary>The limiter's windows: permits, refunds that never cross windows, forgotten partitions; and what counts as costly work.</summary>
public sealed class PermitWindowsTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    private PermitWindows Windows(int limit = 2) =>
        new(Options.Create(new RateLimitOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1) }), _clock);

    [Fact]
    public void A_returned_permit_can_be_taken_again_and_the_refusal_says_when_the_window_ends()
    {
        var windows = Windows();
        var first = windows.TryAcquire("p").Permit!;
        Assert.NotNull(windows.TryAcquire("p").Permit);
        _clock.Advance(TimeSpan.FromSeconds(20));
        var (none, retryAfter) = windows.TryAcquire("p");
        Assert.Null(none);
        Assert.Equal(TimeSpan.FromSeconds(40), retryAfter);

        PermitWindows.Return(first);

        Assert.NotNull(windows.TryAcquire("p").Permit);
        Assert.Null(windows.TryAcquire("p").Permit);
    }

    [Fact]
    public void A_permit_of_an_ended_window_is_not_given_to_the_next()
    {
        var windows = Windows(limit: 1);
        var old = windows.TryAcquire("p").Permit!;
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.NotNull(windows.TryAcquire("p").Permit);

        PermitWindows.Return(old);

        Assert.Null(windows.TryAcquire("p").Permit);
    }

    [Fact]
    public void Partitions_of_ended_windows_are_forgotten()
    {
        var windows = Windows();
        foreach (var i in Enumerable.Range(0, 1000))
        {
            windows.TryAcquire("link:" + i);
        }

        Assert.Equal(1000, windows.Partitions);
        _clock.Advance(TimeSpan.FromMinutes(1));
        windows.TryAcquire("fresh");

        Assert.Equal(1, windows.Partitions);
    }

    [Fact]
    public async Task A_call_to_Procore_and_a_secret_write_count_as_costly_work_a_table_read_does_not()
    {
        using var app = new AppFactory();
        var procore = CostlyWork.Track();
        // Procore is a closed port here: the call fails, but it was made.
        var refused = await app.Service<ProcoreOAuthClient>().ClientCredentialsAsync(ProcoreEnvironment.Sandbox, "id", "secret", default);
        Assert.False(refused.Succeeded);
        Assert.True(procore.Done);

        var read = CostlyWork.Track();
        await app.Service<WorkspaceRepository>().FindAsync(new WorkspaceRef("partner-x", "ws-none"), default);
        Assert.False(read.Done);

        var write = CostlyWork.Track();
        await app.Service<ProcoreConnect.Secrets.ISecretStore>().SetAsync("costly-" + Guid.NewGuid().ToString("N"), "v", default);
        Assert.True(write.Done);
    }
}
