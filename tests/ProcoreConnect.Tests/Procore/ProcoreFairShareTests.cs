using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ProcoreConnect.Procore;

namespace ProcoreConnect.Tests.Procore;

/// <summary>The fair share of a client-credentials token's rate limit among its workspaces, on a fake clock.</summary>
public sealed class ProcoreFairShareTests
{
    private const string Token = "shared-dmsa-token";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero));
    private readonly ProcoreRateLimits _limits;
    private readonly ProcoreFairShare _share;

    public ProcoreFairShareTests()
    {
        _share = FairShare(20);
        _limits = new ProcoreRateLimits(_clock, _share);
    }

    [Fact]
    public void Above_the_reserve_a_workspace_may_spend_far_more_than_its_share()
    {
        var reset = _clock.GetUtcNow().AddMinutes(30);
        Assert.Null(_limits.AdmitShared(Token, "b"));

        // 100 an hour shared by two: a share of 50, but 21 left is above the reserve of 20.
        for (var sent = 1; sent <= 79; sent++)
        {
            Assert.Null(_limits.AdmitShared(Token, "a"));
            Procore(limit: 100, remaining: 100 - 1 - sent, reset);
        }
    }

    [Fact]
    public void At_the_reserve_a_workspace_over_its_share_waits_for_the_reset_while_another_goes_on_to_zero()
    {
        var reset = _clock.GetUtcNow().AddMinutes(30);
        Assert.Null(_limits.AdmitShared(Token, "b"));
        Procore(limit: 100, remaining: 99, reset);
        var remaining = 99L;
        while (remaining > 20)
        {
            Assert.Null(_limits.AdmitShared(Token, "a"));
            Procore(100, --remaining, reset);
        }

        var refusal = _limits.AdmitShared(Token, "a");

        Assert.Equal(new ProcoreFairShareRefusal(reset + ProcoreRateLimits.ResetMargin, Used: 79, Share: 50, Workspaces: 2, Limit: 100, Remaining: 20), refusal);
        while (remaining > 0)
        {
            Assert.Null(_limits.AdmitShared(Token, "b"));
            Procore(100, --remaining, reset);
        }

        Assert.NotNull(_limits.AdmitShared(Token, "a"));
    }

    [Fact]
    public void A_workspace_that_comes_later_gets_its_share_of_what_is_left()
    {
        var reset = _clock.GetUtcNow().AddMinutes(30);
        for (var remaining = 99; remaining >= 10; remaining--)
        {
            Assert.Null(_limits.AdmitShared(Token, "a"));
            Procore(100, remaining, reset);
        }

        // Alone on the token, "a" may go on; once "c" asks, "a" is over its share (100 / 2).
        Assert.Null(_limits.AdmitShared(Token, "c"));
        Procore(100, 9, reset);
        Assert.NotNull(_limits.AdmitShared(Token, "a"));
        Assert.Null(_limits.AdmitShared(Token, "c"));
    }

    [Fact]
    public void In_the_spike_window_only_the_last_ten_seconds_count()
    {
        // An hour ago "a" and "b" both called; "a" sent 30 calls a minute ago, "b" one.
        var hourly = _clock.GetUtcNow().AddMinutes(30);
        Assert.Null(_limits.AdmitShared(Token, "b"));
        for (var i = 0; i < 30; i++)
        {
            Assert.Null(_limits.AdmitShared(Token, "a"));
        }

        _clock.Advance(TimeSpan.FromMinutes(1));
        // Procore reports the spike window (25 in 10 s), with 5 left: the reserve. "a"'s share is 12.
        var spike = _clock.GetUtcNow().AddSeconds(8);
        Procore(25, 5, spike);
        for (var i = 0; i < 12; i++)
        {
            Assert.Null(_limits.AdmitShared(Token, "a"));
        }

        Assert.Equal(12, _limits.AdmitShared(Token, "a")?.Used);

        // Back in the hourly window (share 50), the calls of a minute ago count again: 42, so 8 more.
        Procore(100, 20, hourly);
        for (var i = 0; i < 8; i++)
        {
            Assert.Null(_limits.AdmitShared(Token, "a"));
        }

        Assert.Equal(50, _limits.AdmitShared(Token, "a")?.Used);
    }

    [Fact]
    public void A_window_that_reset_starts_every_workspace_from_nothing()
    {
        var reset = _clock.GetUtcNow().AddSeconds(10);
        Assert.Null(_limits.AdmitShared(Token, "b"));
        for (var i = 0; i < 20; i++)
        {
            Assert.Null(_limits.AdmitShared(Token, "a"));
        }

        Procore(25, 4, reset);
        Assert.NotNull(_limits.AdmitShared(Token, "a"));

        _clock.Advance(TimeSpan.FromSeconds(11));
        Procore(25, 4, _clock.GetUtcNow().AddSeconds(10));

        Assert.Null(_limits.AdmitShared(Token, "a"));
    }

    [Fact]
    public void With_procores_clock_ahead_of_ours_the_calls_of_the_window_still_count()
    {
        Assert.Null(_limits.AdmitShared(Token, "b"));
        for (var i = 0; i < 60; i++)
        {
            Assert.Null(_limits.AdmitShared(Token, "a"));
        }

        // Procore's hourly window began 30 s "from now" by our clock.
        Procore(100, 20, _clock.GetUtcNow().AddHours(1).AddSeconds(30));

        Assert.Equal(60, _limits.AdmitShared(Token, "a")?.Used);
    }

    [Fact]
    public void Alone_on_a_token_a_workspace_is_never_held_back_whatever_it_counted()
    {
        // More calls counted than Procore's window allows (its spike window rolls): still nobody to be fair to.
        for (var i = 0; i < 30; i++)
        {
            Assert.Null(_limits.AdmitShared(Token, "a"));
        }

        Procore(25, 3, _clock.GetUtcNow().AddSeconds(5));

        Assert.Null(_limits.AdmitShared(Token, "a"));
    }

    [Fact]
    public void A_reserve_of_zero_turns_the_fair_share_off()
    {
        var limits = new ProcoreRateLimits(_clock, FairShare(0));
        var reset = _clock.GetUtcNow().AddMinutes(30);
        Assert.Null(limits.AdmitShared(Token, "b"));
        for (var remaining = 99; remaining >= 1; remaining--)
        {
            Assert.Null(limits.AdmitShared(Token, "a"));
            Procore(100, remaining, reset, limits);
        }
    }

    [Fact]
    public void Tokens_not_used_for_an_hour_are_forgotten()
    {
        for (var i = 0; i < 500; i++)
        {
            Assert.Null(_limits.AdmitShared($"token-{i}", "a"));
        }

        Assert.Equal(500, _share.TokensRemembered);
        _clock.Advance(TimeSpan.FromMinutes(61));

        Assert.Null(_limits.AdmitShared(Token, "a"));

        Assert.Equal(1, _share.TokensRemembered);
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(20, true)]
    [InlineData(90, true)]
    [InlineData(91, false)]
    public void The_reserve_is_a_percentage_from_0_to_90(int percent, bool valid)
    {
        var result = new ProcoreFairShareOptionsValidator().Validate(null, new ProcoreFairShareOptions { ReservePercent = percent });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains(nameof(ProcoreFairShareOptions.ReservePercent), result.FailureMessage, StringComparison.Ordinal);
        }
    }

    private ProcoreFairShare FairShare(int percent) =>
        new(Options.Create(new ProcoreFairShareOptions { ReservePercent = percent }), _clock);

    // What Procore's answer to the last call said about the token's nearer limit.
    [Fact]
    public void A_token_out_of_requests_waits_a_second_past_procores_whole_second_reset()
    {
        var reset = _clock.GetUtcNow().AddSeconds(5);
        Procore(limit: 100, remaining: 0, reset);

        Assert.Equal(reset + ProcoreRateLimits.ResetMargin, _limits.BlockedUntil(Token));
        _clock.Advance(TimeSpan.FromSeconds(5.5));
        Assert.NotNull(_limits.BlockedUntil(Token));
        _clock.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Null(_limits.BlockedUntil(Token));
    }

    private void Procore(long limit, long remaining, DateTimeOffset reset, ProcoreRateLimits? limits = null)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK);
        response.Headers.Add("X-Rate-Limit-Limit", limit.ToString(CultureInfo.InvariantCulture));
        response.Headers.Add("X-Rate-Limit-Remaining", remaining.ToString(CultureInfo.InvariantCulture));
        response.Headers.Add("X-Rate-Limit-Reset", reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        (limits ?? _limits).Observe(Token, response);
    }
}
