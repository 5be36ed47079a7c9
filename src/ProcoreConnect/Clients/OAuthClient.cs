using Azure;
using ProcoreConnect.Procore;
using ProcoreConnect.Secrets;

namespace ProcoreConnect.Clients;

/// <summary>
/// A Procore app's OAuth credentials as stored, reusable by many workspaces: the client id, a
/// reference to the secret (never the secret) and how tokens are obtained.
/// </summary>
public sealed record OAuthClient
{
    /// <summary>Owner and name.</summary>
    public required OAuthClientRef Ref { get; init; }

    /// <summary>A name to show people, when the partner gave one.</summary>
    public string? DisplayName { get; init; }

    /// <summary>How tokens are obtained; fixed when the client is created.</summary>
    public required AuthFlow AuthFlow { get; init; }

    /// <summary>Procore's client id (not a secret).</summary>
    public required string ClientId { get; init; }

    /// <summary>The redirect URI registered on the Procore app (authorization code only); the service's callback when null.</summary>
    public Uri? RedirectUri { get; init; }

    /// <summary>
    /// A random prefix for this client's secret names, new for every creation, so a re-created
    /// client never collides with its soft-deleted predecessor's secrets in Key Vault.
    /// </summary>
    public required string SecretPrefix { get; init; }

    /// <summary>Where the client secret is kept.</summary>
    public required SecretReference ClientSecret { get; init; }

    /// <summary>When the client secret was last set.</summary>
    public required DateTimeOffset ClientSecretUpdatedAt { get; init; }

    /// <summary>When the client secret expires, as the partner told us (Procore does not say).</summary>
    public DateTimeOffset? ClientSecretExpiresAt { get; init; }

    /// <summary>Set by the connection check when the client secret expires within 30 days.</summary>
    public bool ClientSecretExpiringSoon { get; init; }

    /// <summary>Where the client stands.</summary>
    public required OAuthClientStatus Status { get; init; }

    /// <summary>
    /// Per environment, whether the client's credentials work there: a secret version Procore
    /// refused (confirmed, see <see cref="ClientRefusals"/>), and for a client-credentials client
    /// whether its shared token can be had and when it may be tried again; environments that work
    /// are left out. Kept apart because one client can serve several environments (the monthly
    /// sandbox takes production credentials, a sandbox often has a secret of its own), which fail
    /// and recover apart.
    /// </summary>
    public IReadOnlyDictionary<ProcoreEnvironment, ConnectionHealth> TokenHealth { get; init; } = NoTokenTrouble;

    /// <summary>The shared token's health in <paramref name="environment"/>.</summary>
    public ConnectionHealth TokenHealthIn(ProcoreEnvironment environment) =>
        TokenHealth.GetValueOrDefault(environment, ConnectionHealth.Ok);

    /// <summary>The environment in the worst state (broken longest, else backing off), and its health; Ok when all work.</summary>
    public (ProcoreEnvironment? Environment, ConnectionHealth Health) WorstTokenHealth =>
        TokenHealth.OrderBy(h => h.Value.BrokenSince ?? DateTimeOffset.MaxValue).ThenBy(h => h.Key).Select(h => ((ProcoreEnvironment?)h.Key, h.Value)).FirstOrDefault((null, ConnectionHealth.Ok));

    /// <summary>This client with <paramref name="health"/> in <paramref name="environment"/>.</summary>
    public OAuthClient WithTokenHealth(ProcoreEnvironment environment, ConnectionHealth health)
    {
        var all = TokenHealth.Where(h => h.Key != environment).ToDictionary();
        if (health != ConnectionHealth.Ok)
        {
            all[environment] = health;
        }

        return this with { TokenHealth = all };
    }

    /// <summary>This client without the refusals of its old secret: a new secret is judged afresh in every environment.</summary>
    public OAuthClient ForgettingRefusals() =>
        this with { TokenHealth = TokenHealth.Where(h => h.Value.RefusedSecretVersion is null).ToDictionary() };

    private static readonly IReadOnlyDictionary<ProcoreEnvironment, ConnectionHealth> NoTokenTrouble = new Dictionary<ProcoreEnvironment, ConnectionHealth>();

    /// <summary>When the client was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>
    /// When the client's shared (client-credentials) tokens were last revoked because the client came
    /// to serve more than one partner: a token issued before then is never handed out again.
    /// </summary>
    public DateTimeOffset? SharedTokensRevokedAt { get; init; }

    /// <summary>The row's version, for optimistic concurrency.</summary>
    public ETag ETag { get; init; }

    /// <summary>
    /// True while Procore's refusal of the current secret stands in <paramref name="environment"/>.
    /// No refresh token is presented there with it: Procore invalidates a refresh token on every
    /// refresh call, failed ones included, so a refused secret would burn every workspace's connection.
    /// </summary>
    public bool SecretRefusedIn(ProcoreEnvironment environment) => TokenHealthIn(environment).RefusedSecretVersion == ClientSecret.Version;

    /// <summary>True while the current secret stands refused in some environment.</summary>
    public bool SecretRefusedAnywhere => TokenHealth.Values.Any(h => h.RefusedSecretVersion == ClientSecret.Version);
}
