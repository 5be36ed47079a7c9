namespace ProcoreConnect.ProcoreCalls;

/// <summary>
/// A workspace's calls over the last 14 days as Procore's Integration Health counts them (401, 403,
/// 404, 429), each with what fixes it. Calls without <c>Procore-Company-Id</c> are not counted: the
/// proxy sends it on every call.
/// </summary>
/// <param name="Since">The start of the window.</param>
/// <param name="Calls">Calls in the window.</param>
/// <param name="Observations">One per status Integration Health counts, zero counts included.</param>
/// <param name="NotLogged">Calls counted here that the call log does not list (its queue was full, or a write failed).</param>
public sealed record ProcoreCallHealth(DateTimeOffset Since, int Calls, IReadOnlyList<HealthObservation> Observations, int NotLogged)
{
    /// <summary>Integration Health's window.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(14);

    private static readonly (int Status, string Name, string Fix)[] Counted =
    [
        (401, "Unauthorized", "Procore refused the token. The proxy already refreshes once and sends the call again, so 401s here mean the grant is gone "
            + "(revoked, or the app uninstalled): GET /api/workspaces/needs-attention and connect the workspace again."),
        (403, "Forbidden", "The Procore user or DMSA lacks a permission or project access: a company admin grants the tool permission or chooses the "
            + "permitted projects (a DMSA's again after every app update or reinstall). \"App is not connected to this company\" means the app was uninstalled."),
        (404, "Not found", "Calls name records that no longer exist (stale ids after a delete, or the wrong project): drop cached ids on Procore's delete webhooks."),
        (429, "Rate limited", "Over Procore's rate limit: honour Retry-After, spread bulk syncs over time, and use webhooks instead of polling."),
    ];

    /// <summary>The summary of a window's counts.</summary>
    public static ProcoreCallHealth From(DateTimeOffset since, int calls, IReadOnlyDictionary<int, int> byStatus, int notLogged) =>
        new(since, calls, [.. Counted.Select(c => new HealthObservation(c.Status, c.Name, byStatus.GetValueOrDefault(c.Status), c.Fix))], notLogged);
}
