using System.Threading.RateLimiting;

namespace ProcoreConnect.Security;

/// <summary>
/// Endpoint metadata: each call spends a permit of <see cref="RateLimitOptions"/> from the budget
/// of the partition it is charged to (see <see cref="RateLimiting"/>).
/// </summary>
public sealed class RateLimited
{
    private readonly Func<HttpContext, string> _partitionOf;

    private const string SharedTerms = "`RateLimits:PermitLimit` per `RateLimits:Window`, ";

    private RateLimited(Func<HttpContext, string> partitionOf, string scope, string budget, string? terms = null)
    {
        _partitionOf = partitionOf;
        Scope = scope;
        Budget = budget;
        Terms = terms ?? SharedTerms + scope + "); nothing was done. A call answered `400` uses no permit.";
    }

    /// <summary>
    /// Charged to the authenticated partner (an operator's admin calls share one budget). The
    /// limiter runs after authorization, so every caller it sees has passed the endpoint's policy.
    /// </summary>
    public static RateLimited PerPartner { get; } = new(
        static context => context.User.PartnerId() is { } partner ? "partner:" + partner : "operator",
        "per partner",
        "This partner's calls that reach Key Vault or Procore are limited");

    /// <summary>
    /// Charged to the link whose token is the route value <paramref name="routeValue"/>. The link
    /// page is anonymous, so there is no partner to charge, and a client address proves nothing
    /// (behind the Functions host and its front end it is theirs, or a header the client wrote):
    /// the link is the one thing every press names. Keyed by the token's SHA-256, so the limiter's
    /// memory never holds a usable link.
    /// </summary>
    public static RateLimited PerLink(string routeValue) => new(
        context => "link:" + PartnerKeyStore.Sha256Hex(context.GetRouteValue(routeValue) as string ?? ""),
        "per link",
        "Sign-ins started from this link are limited");

    /// <summary>
    /// Charged to the authenticated partner against a limiter of the endpoint's own (from
    /// <paramref name="limiter"/>, leased for the whole call), not the shared window of
    /// <see cref="RateLimitOptions"/>: a hot route must neither spend nor be starved by it.
    /// </summary>
    public static RateLimited PerPartnerOwn(string budget, string terms, Func<IServiceProvider, PartitionedRateLimiter<string>> limiter) =>
        new(PerPartner._partitionOf, "per partner", budget, terms) { Limiter = limiter };

    /// <summary>The endpoint's own limiter, or null for the shared window.</summary>
    public Func<IServiceProvider, PartitionedRateLimiter<string>>? Limiter { get; private init; }

    /// <summary>The limit's terms, for the documentation: its settings, whom it is charged to, what a refusal did.</summary>
    public string Terms { get; }

    /// <summary>Whom a budget belongs to, for the documentation: "per partner" or "per link".</summary>
    public string Scope { get; }

    /// <summary>What the 429 says is limited, as the start of a sentence.</summary>
    public string Budget { get; }

    /// <summary>The partition a request is charged to.</summary>
    public string PartitionOf(HttpContext context) => _partitionOf(context);
}
