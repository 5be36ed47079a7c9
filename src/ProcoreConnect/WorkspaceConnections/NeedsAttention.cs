using ProcoreConnect.Clients;
using ProcoreConnect.Procore;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.WorkspaceConnections;

/// <summary>Something a person has to look at, and what to do about it.</summary>
/// <param name="Code">What is wrong (see docs/api.md, "Workspaces that need a person").</param>
/// <param name="Detail">In words, safe to show.</param>
/// <param name="Action">What fixes it.</param>
/// <param name="Since">Since when, when known.</param>
public sealed record AttentionReason(string Code, string Detail, string Action, DateTimeOffset? Since = null);

/// <summary>A workspace that needs a person, with every reason.</summary>
public sealed record WorkspaceAttention(
    string WorkspaceId, long CompanyId, ProcoreEnvironment Environment,
    [property: System.Text.Json.Serialization.JsonPropertyName("oauthClient")] string OAuthClient, WorkspaceStatus Status,
    IReadOnlyDictionary<string, string> Tags, IReadOnlyList<AttentionReason> Reasons);

/// <summary>One of the partner's OAuth clients that needs a person, and how many workspaces use it.</summary>
public sealed record ClientAttention(string Name, int Workspaces, IReadOnlyList<AttentionReason> Reasons);

/// <summary>The answer of <c>GET /api/workspaces/needs-attention</c>.</summary>
public sealed record NeedsAttentionResponse(
    IReadOnlyList<WorkspaceAttention> Workspaces,
    [property: System.Text.Json.Serialization.JsonPropertyName("oauthClients")] IReadOnlyList<ClientAttention> OAuthClients,
    DateTimeOffset CheckedAt);

/// <summary>
/// Everything of one partner that a person has to act on, in one call: workspaces to connect or
/// reconnect, broken or failing ones, and OAuth clients whose secret is refused, failing or about
/// to expire (with each workspace that uses them). One read of the partner's workspaces and one of
/// each client they use.
/// </summary>
public sealed class NeedsAttention(WorkspaceRepository workspaces, OAuthClientRepository clients, CompanyAccess access, TimeProvider time)
{
    // Failing with no back-off running: the refresh queue gave up on it (its message reached the poison queue).
    private const string RetriedBySweep =
        "The next refresh sweep tries again. If it lasts, check that the function app reaches its storage and Key Vault (GET /api/health).";

    /// <summary>The partner's workspaces and clients that need a person, in id and name order.</summary>
    public async Task<NeedsAttentionResponse> ListAsync(string partnerId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var all = new List<Workspace>();
        await foreach (var workspace in workspaces.ListPartnerAsync(partnerId, cancellationToken))
        {
            all.Add(workspace);
        }

        var lookup = clients.Lookup();
        var clientReasons = new Dictionary<OAuthClientRef, IReadOnlyList<(ProcoreEnvironment? Environment, AttentionReason Reason)>>();
        foreach (var reference in all.Select(w => w.Client).Distinct())
        {
            clientReasons[reference] = await lookup.FindAsync(reference) is { } client ? ClientReasons(client, now) : [];
        }

        // What the operator grants this partner on each public client it uses: one read per client.
        var scopes = new Dictionary<OAuthClientRef, CompanyScope>();
        foreach (var w in all.Where(w => w.Client.IsPublic).DistinctBy(w => w.Client))
        {
            scopes[w.Client] = await access.ScopeAsync(w.Client, w.AuthFlow, partnerId, cancellationToken);
        }

        // A client's trouble in one environment is its workspaces' trouble there only.
        var listed = all
            .Select(w => new WorkspaceAttention(
                w.Id, w.CompanyId, w.Environment, w.Client.Name, w.Status, w.Tags,
                [.. GrantReasons(w, scopes), .. WorkspaceReasons(w), .. clientReasons[w.Client].Where(r => r.Environment is null || r.Environment == w.Environment).Select(r => r.Reason)]))
            .Where(w => w.Reasons.Count > 0)
            .OrderBy(w => w.WorkspaceId, StringComparer.Ordinal)
            .ToList();
        var ownClients = clientReasons
            .Where(c => !c.Key.IsPublic && c.Value.Count > 0)
            .Select(c => new ClientAttention(c.Key.Name, all.Count(w => w.Client == c.Key), [.. c.Value.Select(r => r.Reason)]))
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
        return new NeedsAttentionResponse(listed, ownClients, now);
    }

    private static IEnumerable<AttentionReason> GrantReasons(Workspace w, Dictionary<OAuthClientRef, CompanyScope> scopes)
    {
        if (scopes.TryGetValue(w.Client, out var scope) && !scope.Allows(w.CompanyId, w.Environment))
        {
            yield return new("grant_revoked", Tokens.TokenEligibility.GrantRevokedDetail(w),
                $"Ask the operator to grant you company {w.CompanyId} on OAuth client '{w.Client.Name}', or move the workspace to a client of your own (PUT /api/workspaces/{w.Id}/connection).");
        }
    }

    private static IEnumerable<AttentionReason> WorkspaceReasons(Workspace w)
    {
        var reconnect = $"Send a person through the connect flow (POST /api/workspaces/{w.Id}/connect-links, or GET /api/workspaces/{w.Id}/connect), or import a refresh token with PUT /api/workspaces/{w.Id}/connection.";
        if (w.Status == WorkspaceStatus.NeedsReauthorization)
        {
            yield return new("needs_reauthorization", w.LastError ?? "Procore refused the refresh token.", reconnect, w.Health.BrokenSince);
        }
        else if (w.Status == WorkspaceStatus.Pending && w.AuthFlow == AuthFlow.AuthorizationCode)
        {
            yield return new("not_connected", "Nobody has connected this workspace to Procore yet.", reconnect, w.CreatedAt);
        }

        switch (w.Health.BrokenReason)
        {
            case ConnectionHealth.RefreshFailing:
                yield return new(ConnectionHealth.RefreshFailing, w.LastError ?? "Refreshes keep failing.",
                    w.Health.RetryAt is { } retryAt
                        ? $"Procore's token endpoint keeps failing; the service retries (next at {retryAt:u}). Act if it lasts."
                        : RetriedBySweep, w.Health.BrokenSince);
                break;
            case ConnectionHealth.InvalidClient:
                yield return new(ConnectionHealth.InvalidClient, w.LastError ?? "Procore refused the client credentials.",
                    $"Check OAuth client '{w.Client.Name}' and rotate its secret (PUT /api/oauth-clients/{w.Client.Name}/secret).", w.Health.BrokenSince);
                break;
            case ConnectionHealth.CompanyNotVisible:
                yield return new(ConnectionHealth.CompanyNotVisible, w.LastError ?? $"The person who signed in cannot see company {w.CompanyId}.",
                    $"Have a person of Procore company {w.CompanyId} sign in (POST /api/workspaces/{w.Id}/connect-links), or correct the workspace's companyId.", w.Health.BrokenSince);
                break;
        }

        // Whoever ran the check (the daily timer, validate, a sign-in), its failure shows at once,
        // even while the connection is broken for another reason.
        if (w.Status == WorkspaceStatus.Connected && (w.Health.BrokenReason == ConnectionHealth.CheckFailing || w.LastCheckOk == false))
        {
            yield return new(ConnectionHealth.CheckFailing, CheckFailure(w),
                (w.LastError is { } fix ? fix + " " : "") + $"POST /api/workspaces/{w.Id}/validate checks again once it is fixed.",
                w.Health.BrokenReason == ConnectionHealth.CheckFailing ? w.Health.BrokenSince : w.LastCheckedAt);
        }
    }

    private static string CheckFailure(Workspace w) => w.LastCheckReasons.Count == 0
        ? "The last connection check failed."
        : $"The last connection check ({w.LastCheckedAt:u}) failed: " + string.Join(" ", w.LastCheckReasons.Select(r => $"{r.Check}: {r.Detail}"));

    private static List<(ProcoreEnvironment? Environment, AttentionReason Reason)> ClientReasons(OAuthClient client, DateTimeOffset now)
    {
        var reasons = new List<(ProcoreEnvironment?, AttentionReason)>();
        var rotate = client.Ref.IsPublic
            ? $"OAuth client '{client.Ref.Name}' is offered by the operator: ask them."
            : $"Generate a new secret in the Procore Developer Portal and rotate it: PUT /api/oauth-clients/{client.Ref.Name}/secret.";
        foreach (var (environment, health) in client.TokenHealth.Where(h => h.Value.BrokenSince is not null).OrderBy(h => h.Key))
        {
            var where = Common.WireName.Of(environment);
            reasons.Add((environment, health.RefusedSecretVersion == client.ClientSecret.Version
                ? new("client_secret_refused", $"Procore refuses the secret of OAuth client '{client.Ref.Name}' in {where}.",
                    $"Check that the app is installed in {where} and that its credentials there are the client's. If they are: {rotate}", health.BrokenSince)
                : new("client_token_failing", $"Token requests of OAuth client '{client.Ref.Name}' in {where} keep failing ({health.BrokenReason}).",
                    health.RetryAt is { } retryAt ? $"The service retries (next at {retryAt:u}); act if it lasts." : RetriedBySweep, health.BrokenSince)));
        }

        if (client.ClientSecretExpiresAt is { } expiresAt && expiresAt - now <= Maintenance.ClientChecker.SecretExpiryWarning)
        {
            reasons.Add((null, new(expiresAt <= now ? "client_secret_expired" : "client_secret_expiring",
                $"The secret of OAuth client '{client.Ref.Name}' expires {expiresAt:u}.", rotate)));
        }

        return reasons;
    }
}
