namespace ProcoreConnect.Clients;

/// <summary>
/// Whether a connection works, as partners see it, and when its token may be tried again: a
/// workspace's (its refresh token) or a client-credentials client's (its shared token). A
/// connection is broken by a refusal at once, or by <see cref="FailuresBeforeBroken"/> failed
/// refreshes in a row (one failure is weather, not news); it recovers at the first success. After a
/// failed refresh nothing is sent to Procore before <see cref="Backoff"/> has passed, however many
/// callers ask, so a dead connection is not hammered.
/// </summary>
public sealed record ConnectionHealth
{
    /// <summary>A connection that works.</summary>
    public static readonly ConnectionHealth Ok = new();

    /// <summary>Failed refreshes in a row that make a connection broken.</summary>
    public const int FailuresBeforeBroken = 3;

    /// <summary>Broken: Procore refused the refresh token (a person must connect again).</summary>
    public const string NeedsReauthorization = "needs_reauthorization";

    /// <summary>Broken: Procore refused the client's id or secret.</summary>
    public const string InvalidClient = "invalid_client";

    /// <summary>Broken: refreshes failed <see cref="FailuresBeforeBroken"/> times in a row.</summary>
    public const string RefreshFailing = "refresh_failing";

    /// <summary>
    /// Not connected: the person who signed in cannot see the workspace's company in Procore, so
    /// their grant was revoked instead of kept.
    /// </summary>
    public const string CompanyNotVisible = "company_not_visible";

    /// <summary>Broken: the daily connection check failed (token fine, API calls not).</summary>
    public const string CheckFailing = "check_failing";

    /// <summary>Since when the connection is broken; null while it works.</summary>
    public DateTimeOffset? BrokenSince { get; init; }

    /// <summary>What broke it (the first reason stays until it recovers).</summary>
    public string? BrokenReason { get; init; }

    /// <summary>Failed refreshes in a row.</summary>
    public int Failures { get; init; }

    /// <summary>No refresh is tried before this (the back-off after a failed one).</summary>
    public DateTimeOffset? RetryAt { get; init; }

    /// <summary>
    /// For a client's shared token in one environment: the secret version Procore refused there.
    /// Nothing is asked of Procore in that environment with it again; a new secret ends it.
    /// </summary>
    public string? RefusedSecretVersion { get; init; }

    /// <summary>True while backing off at <paramref name="now"/>.</summary>
    public bool CoolingDown(DateTimeOffset now) => RetryAt > now;

    /// <summary>How long to wait after the <paramref name="failures"/>th failure in a row: 30 s, doubling, at most 30 minutes.</summary>
    public static TimeSpan Backoff(int failures) =>
        TimeSpan.FromSeconds(Math.Min(30 * Math.Pow(2, Math.Clamp(failures, 1, 16) - 1), 1800));

    /// <summary>After a successful refresh: failures forgotten; no longer broken by a refresh (a failing check stays).</summary>
    public ConnectionHealth Refreshed() => BrokenReason == CheckFailing ? Ok with { BrokenSince = BrokenSince, BrokenReason = CheckFailing } : Ok;

    /// <summary>After a person connected again (a code exchange or an imported grant): whatever broke it is behind it; the next check says anew.</summary>
    public ConnectionHealth Reconnected() => Ok;

    /// <summary>After a failed refresh: counted, backed off when it may pass, broken when refused or failing for long.</summary>
    public ConnectionHealth RefreshFailed(string reason, bool transient, DateTimeOffset now)
    {
        var failures = Failures + 1;
        var counted = this with { Failures = failures, RetryAt = transient ? now + Backoff(failures) : null };
        return transient && failures < FailuresBeforeBroken ? counted : counted.Broken(reason, now);
    }

    /// <summary>After a daily check: broken when it failed, recovered when it passed after failing.</summary>
    public ConnectionHealth Checked(bool ok, DateTimeOffset now) =>
        ok ? BrokenReason == CheckFailing ? this with { BrokenSince = null, BrokenReason = null } : this
           : Broken(CheckFailing, now);

    /// <summary>
    /// Broken for <paramref name="reason"/>, unless it is broken already; but a reason that needs a
    /// person (<see cref="NeedsReauthorization"/>, <see cref="InvalidClient"/>) replaces one that
    /// might pass by itself, since what the partner must do has changed.
    /// </summary>
    public ConnectionHealth Broken(string reason, DateTimeOffset now) =>
        BrokenSince is null ? this with { BrokenSince = now, BrokenReason = reason }
        : NeedsPerson(reason) && !NeedsPerson(BrokenReason) ? this with { BrokenReason = reason }
        : this;

    /// <summary>
    /// The event a change means, if any: broken (also again, when it now needs a person) or
    /// recovered, never both, never for no change.
    /// </summary>
    public static string? EventOf(ConnectionHealth before, ConnectionHealth after) =>
        before.BrokenSince is null && after.BrokenSince is not null ? Events.EventTypes.ConnectionBroken
        : before.BrokenSince is not null && after.BrokenSince is null ? Events.EventTypes.ConnectionRecovered
        : before.BrokenSince is not null && after.BrokenReason != before.BrokenReason ? Events.EventTypes.ConnectionBroken
        : null;

    private static bool NeedsPerson(string? reason) => reason is NeedsReauthorization or InvalidClient or CompanyNotVisible;
}
