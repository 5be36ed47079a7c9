namespace ProcoreConnect.Tokens;

/// <summary>How a token request ended.</summary>
public enum TokenStatus
{
    /// <summary>A valid token.</summary>
    Ok,

    /// <summary>No such workspace.</summary>
    NotFound,

    /// <summary>The workspace has never been connected (or is disabled).</summary>
    NotConnected,

    /// <summary>Procore refused the refresh token: a person must connect again.</summary>
    NeedsReauthorization,

    /// <summary>Procore refused the client id or secret.</summary>
    InvalidClient,

    /// <summary>Procore failed or could not be reached, and no valid token is left.</summary>
    ProcoreUnavailable,

    /// <summary>Another instance is refreshing and did not finish in time.</summary>
    Busy,

    /// <summary>The workspace's client is public and the operator does not grant its partner the workspace's company (any more).</summary>
    GrantRevoked,

    /// <summary>Backing off after failed refreshes, with no valid token to hand out meanwhile (see <see cref="TokenOutcome.RetryAt"/>).</summary>
    RefreshCoolingDown,
}

/// <summary>
/// A token request's outcome; <see cref="RetryAt"/> says when to try again while backing off. An
/// import also answers the access token of the grant it replaced (read under the refresh lease,
/// so no refresh elsewhere can have rotated it since), for the caller to revoke.
/// </summary>
public sealed record TokenOutcome(TokenStatus Status, CachedToken? Token = null, string? Detail = null, DateTimeOffset? RetryAt = null, string? ReplacedAccessToken = null)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{nameof(TokenOutcome)} {{ Status = {Status}, Token = {Token}, Detail = {Detail}, RetryAt = {RetryAt:O}, ReplacedAccessToken = {(ReplacedAccessToken is null ? "none" : "(set)")} }}";
}
