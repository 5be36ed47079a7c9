using Azure;
using ProcoreConnect.Clients;
using ProcoreConnect.Procore;
using ProcoreConnect.Secrets;

namespace ProcoreConnect.Workspaces;

/// <summary>A workspace's Procore connection as stored: metadata and secret references, never secrets.</summary>
public sealed record Workspace
{
    /// <summary>The partner's workspace id (see <see cref="WorkspaceId"/>).</summary>
    public required string Id { get; init; }

    /// <summary>The partner that created the workspace; only it sees and changes it.</summary>
    public required string PartnerId { get; init; }

    /// <summary>
    /// This creation of the workspace: <c>{id}-{16 hex}</c>, new every time the id is created, so
    /// nothing kept under it (tokens, hooks, deliveries, projects, audit, leases, index entries,
    /// OAuth states) can pass to a later workspace that reuses the id. Also the stem of its secret names.
    /// </summary>
    public required string Key { get; init; }

    /// <summary>The Procore company this workspace works in.</summary>
    public required long CompanyId { get; init; }

    /// <summary>Which Procore environment.</summary>
    public required ProcoreEnvironment Environment { get; init; }

    /// <summary>The company's name as a sign-in last learned it from Procore; see <see cref="CompanyName"/>.</summary>
    public KnownCompanyName? KnownCompanyName { get; init; }

    /// <summary>
    /// The company's name, when it was learned for the company and environment the workspace names
    /// now: a change of either, by any writer, leaves the old name unshown.
    /// </summary>
    public string? CompanyName => KnownCompanyName is { } known && known.CompanyId == CompanyId && known.Environment == Environment ? known.Name : null;

    /// <summary>The OAuth client the workspace connects with.</summary>
    public required OAuthClientRef Client { get; init; }

    /// <summary>The client's auth flow, copied when the client is chosen (a client's flow never changes).</summary>
    public required AuthFlow AuthFlow { get; init; }

    /// <summary>Where the connection stands.</summary>
    public required WorkspaceStatus Status { get; init; }

    /// <summary>
    /// Where the current tokens are kept, once connected (authorization code only): the access
    /// token and the refresh token issued with it, as one secret version. Client-credentials
    /// workspaces share their client's token and hold none.
    /// </summary>
    public SecretReference? Tokens { get; init; }

    /// <summary>When the current access token was issued (for the token-age metric).</summary>
    public DateTimeOffset? AccessTokenIssuedAt { get; init; }

    /// <summary>When the current access token expires.</summary>
    public DateTimeOffset? AccessTokenExpiresAt { get; init; }

    /// <summary>When the refresh timer should next refresh the access token (its key in the due index).</summary>
    public DateTimeOffset? RefreshDueAt { get; init; }

    /// <summary>When the connection health check last ran.</summary>
    public DateTimeOffset? LastCheckedAt { get; init; }

    /// <summary>Whether the last connection health check passed.</summary>
    public bool? LastCheckOk { get; init; }

    /// <summary>The steps the last connection check failed (empty when it passed or never ran).</summary>
    public IReadOnlyList<CheckReason> LastCheckReasons { get; init; } = [];

    /// <summary>The last error a connection attempt or refresh met, in words safe to show.</summary>
    public string? LastError { get; init; }

    /// <summary>The partner's own labels (see <see cref="WorkspaceTags"/>).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = WorkspaceTags.None;

    /// <summary>Whether the connection works, and when its refresh token may be tried again.</summary>
    public ConnectionHealth Health { get; init; } = ConnectionHealth.Ok;

    /// <summary>When the workspace was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the workspace last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The row's version, for optimistic concurrency.</summary>
    public ETag ETag { get; init; }

    /// <summary>Owner and id.</summary>
    public WorkspaceRef Ref => new(PartnerId, Id);

    /// <summary>The stem of this workspace's secret names.</summary>
    public string SecretPrefix => "ws-" + Key;

    /// <summary>A fresh <see cref="Key"/> for a new workspace with this id.</summary>
    public static string NewKey(string id) =>
        id + "-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
}
