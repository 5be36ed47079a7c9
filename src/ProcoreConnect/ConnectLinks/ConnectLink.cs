using Azure;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.ConnectLinks;

/// <summary>
/// A connect link as stored: the workspace it connects (owner, id and which creation of the id,
/// so it dies with a deleted workspace even if the id comes back), until when, and how far it got.
/// Never the token itself: <see cref="Id"/> is its SHA-256.
/// </summary>
public sealed record ConnectLink
{
    /// <summary>SHA-256 (hex) of the link's token.</summary>
    public required string Id { get; init; }

    /// <summary>The workspace the link connects.</summary>
    public required WorkspaceRef Workspace { get; init; }

    /// <summary>The workspace's key when the link was created.</summary>
    public required string WorkspaceKey { get; init; }

    /// <summary>Where the callback sends the browser afterwards (already checked against the allow-list).</summary>
    public Uri? ReturnUrl { get; init; }

    /// <summary>When the partner created the link.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the link stops opening a sign-in.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>
    /// The hash of the OAuth state of the sign-in started with the link (kept once that sign-in
    /// used the link up); only that sign-in's callback may use the link up or free it.
    /// </summary>
    public string? ClaimedBy { get; init; }

    /// <summary>When the claim lapses: the claiming state's expiry, after which that sign-in cannot finish anyway.</summary>
    public DateTimeOffset? ClaimExpiresAt { get; init; }

    /// <summary>When a sign-in from the link connected the workspace.</summary>
    public DateTimeOffset? UsedAt { get; init; }

    /// <summary>How the last sign-in from the link ended, if one did.</summary>
    public ConnectLinkOutcome? LastOutcome { get; init; }

    /// <summary>
    /// True for a link the partner made to connect the workspace now (<c>GET …/connect</c>): it
    /// signs a person in even when the workspace is connected already (to replace its grant), where
    /// a link sent earlier shows that there is nothing left to do.
    /// </summary>
    public bool Reconnect { get; init; }

    /// <summary>The row's version: a claim is conditional on it, so of two presses at once one re-reads.</summary>
    public ETag ETag { get; init; }

    /// <summary>Where the link stands at <paramref name="now"/>.</summary>
    public ConnectLinkStatus StatusAt(DateTimeOffset now) =>
        UsedAt is not null ? ConnectLinkStatus.Used
        : ExpiresAt <= now ? ConnectLinkStatus.Expired
        : ClaimedBy is not null && ClaimExpiresAt > now ? ConnectLinkStatus.InProgress
        : ConnectLinkStatus.Open;
}
