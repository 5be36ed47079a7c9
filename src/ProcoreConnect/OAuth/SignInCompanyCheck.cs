using ProcoreConnect.Clients;
using ProcoreConnect.Procore;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.OAuth;

/// <summary>
/// Checks, before a new grant is kept, that the person who signed in can see the workspace's
/// company in Procore; and records on the workspace when they cannot. Whoever signs in decides
/// what the grant reaches, so a grant that cannot see the workspace's company is another
/// company's, and is not kept.
/// </summary>
public sealed class SignInCompanyCheck(
    ProcoreApiClient api, WorkspaceRepository workspaces, Events.EventPublisher events, TimeProvider time, ILogger<SignInCompanyCheck> logger)
{
    /// <summary>What Procore lists for the new grant, in the workspace's company.</summary>
    public async Task<CompanyCheck> CheckAsync(Workspace workspace, string accessToken, CancellationToken cancellationToken)
    {
        var answer = await api.GetAsync(workspace.Environment, accessToken, workspace.CompanyId, "rest/v1.0/companies", cancellationToken);
        if (answer.Status == 200)
        {
            var visible = ProcoreCompanies.Parse(answer.Body);
            return new CompanyCheck(visible.Any(c => c.Id == workspace.CompanyId) ? CompanyVisibility.Visible : CompanyVisibility.NotVisible, answer.Status, visible);
        }

        // Procore refusing to list companies in this company for this person is the same answer.
        return new CompanyCheck(answer.Status is 401 or 403 ? CompanyVisibility.NotVisible : CompanyVisibility.Unknown, answer.Status, []);
    }

    /// <summary>
    /// Keeps the name <paramref name="check"/> listed for <paramref name="workspace"/>'s company on
    /// the workspace (one write, and none when it is known already), and answers the workspace with
    /// it. The pages show it; a failure to keep it costs only that, so it is logged, not thrown.
    /// </summary>
    public async Task<Workspace> RememberNameAsync(Workspace workspace, CompanyCheck check)
    {
        if (check.Listed.FirstOrDefault(c => c.Id == workspace.CompanyId)?.Name?.Trim() is not { Length: > 0 } name)
        {
            return workspace;
        }

        var known = new KnownCompanyName(workspace.CompanyId, workspace.Environment, name.Length > KnownCompanyName.MaxLength ? name[..KnownCompanyName.MaxLength] : name);
        if (workspace.KnownCompanyName == known)
        {
            return workspace;
        }

        try
        {
            await workspaces.ChangeAsync(workspace.Ref, w => w.CompanyId == known.CompanyId && w.Environment == known.Environment && w.KnownCompanyName != known
                ? w with { KnownCompanyName = known }
                : null, CancellationToken.None, key: workspace.Key);
        }
        catch (Azure.RequestFailedException e)
        {
            logger.LogWarning(e, "Workspace {WorkspaceId}: the name of company {CompanyId} could not be kept", workspace.Id, workspace.CompanyId);
        }

        return workspace with { KnownCompanyName = known };
    }

    /// <summary>
    /// Records <paramref name="detail"/> as the reason a sign-in did not connect the workspace, unless
    /// the workspace is connected already (a failed reconnect leaves a working connection alone).
    /// </summary>
    public async Task RecordNotVisibleAsync(Workspace workspace, string detail)
    {
        Workspace? before = null;
        var now = time.GetUtcNow();
        var after = await workspaces.ChangeAsync(workspace.Ref, w =>
        {
            before = w;
            return w.Status == WorkspaceStatus.Connected ? null : w with
            {
                LastError = detail,
                Health = w.Health.Broken(ConnectionHealth.CompanyNotVisible, now),
                UpdatedAt = now,
            };
        }, CancellationToken.None, key: workspace.Key);
        logger.LogWarning("Workspace {WorkspaceId}: a sign-in could not see company {CompanyId}; its grant was revoked", workspace.Id, workspace.CompanyId);
        if (after is not null && ConnectionHealth.EventOf(before!.Health, after.Health) is { } type)
        {
            await events.PublishAsync(after.PartnerId, after.Id, type, new { after.CompanyId, reason = ConnectionHealth.CompanyNotVisible }, CancellationToken.None);
        }
    }
}

/// <summary>Whether the new grant sees the workspace's company.</summary>
public enum CompanyVisibility
{
    /// <summary>Procore lists the company for the grant.</summary>
    Visible,

    /// <summary>Procore lists other companies only, or refuses to list them in this company.</summary>
    NotVisible,

    /// <summary>Procore could not be asked (throttled, failing, unreachable).</summary>
    Unknown,
}

/// <summary>A company check's answer: the verdict, Procore's status and the companies it listed.</summary>
public sealed record CompanyCheck(CompanyVisibility Visibility, int Status, IReadOnlyList<ProcoreCompany> Listed);
