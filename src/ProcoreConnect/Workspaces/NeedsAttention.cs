using ProcoreConnect.Clients;

namespace ProcoreConnect.Workspaces;

/// <summary>Something a person has to look at, and what to do about it.</summary>
/// <param name="Code">What is wrong (see README, "Workspaces that need a person").</param>
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
public sealed class NeedsAttention(WorkspaceRepository workspaces, OAuthClientRepository clients, TimeProvider time)
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
        var clientReasons = new Dictionary<OAuthClientRef, IReadOnlyList<AttentionReason>>();
        foreach (var reference in all.Select(w => w.Client).Distinct())
        {
            clientReasons[reference] = await lookup.FindAsync(reference) is { } client ? ClientReasons(client, now) : [];
        }

        var listed = all
            .Select(w => new WorkspaceAttention(
                w.Id, w.CompanyId, w.Environment, w.Client.Name, w.Status, w.Tags, [.. WorkspaceReasons(w), .. clientReasons[w.Client]]))
            .Where(w => w.Reasons.Count > 0)
            .OrderBy(w => w.WorkspaceId, StringComparer.Ordinal)
            .ToList();
        var ownClients = clientReasons
            .Where(c => !c.Key.IsPublic && c.Value.Count > 0)
            .Select(c => new ClientAttention(c.Key.Name, all.Count(w => w.Client == c.Key), c.Value))
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
        return new NeedsAttentionResponse(listed, ownClients, now);
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
            case ConnectionHealth.CheckFailing:
                yield return new(ConnectionHealth.CheckFailing, "The last daily connection check failed.",
                    $"POST /api/workspaces/{w.Id}/validate names the failing step and its fix.", w.Health.BrokenSince);
                break;
        }
    }

    private static List<AttentionReason> ClientReasons(OAuthClient client, DateTimeOffset now)
    {
        var reasons = new List<AttentionReason>();
        var rotate = client.Ref.IsPublic
            ? $"OAuth client '{client.Ref.Name}' is offered by the operator: ask them."
            : $"Generate a new secret in the Procore Developer Portal and rotate it: PUT /api/oauth-clients/{client.Ref.Name}/secret.";
        if (client.SecretRefused)
        {
            reasons.Add(new("client_secret_refused", $"Procore refuses the secret of OAuth client '{client.Ref.Name}'.", rotate, client.WorstTokenHealth.Health.BrokenSince));
        }
        else
        {
            foreach (var (environment, health) in client.TokenHealth.Where(h => h.Value.BrokenSince is not null).OrderBy(h => h.Key))
            {
                var where = Common.WireName.Of(environment);
                reasons.Add(health.RefusedSecretVersion == client.ClientSecret.Version
                    ? new("client_secret_refused", $"Procore refuses the secret of OAuth client '{client.Ref.Name}' in {where}.",
                        $"Check that the app is installed in {where}. If it is: {rotate}", health.BrokenSince)
                    : new("client_token_failing", $"Token requests of OAuth client '{client.Ref.Name}' in {where} keep failing ({health.BrokenReason}).",
                        health.RetryAt is { } retryAt ? $"The service retries (next at {retryAt:u}); act if it lasts." : RetriedBySweep, health.BrokenSince));
            }
        }

        if (client.ClientSecretExpiresAt is { } expiresAt && expiresAt - now <= Maintenance.ConnectionChecker.SecretExpiryWarning)
        {
            reasons.Add(new(expiresAt <= now ? "client_secret_expired" : "client_secret_expiring",
                $"The secret of OAuth client '{client.Ref.Name}' expires {expiresAt:u}.", rotate));
        }

        return reasons;
    }
}
