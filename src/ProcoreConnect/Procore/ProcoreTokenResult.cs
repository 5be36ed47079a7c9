namespace ProcoreConnect.Procore;

/// <summary>A token request's outcome: the tokens, or Procore's error (or a transport failure, status 0).</summary>
public sealed record ProcoreTokenResult(ProcoreTokenResponse? Tokens, int Status = 200, string? Error = null, string? Description = null)
{
    /// <summary>True when tokens came back.</summary>
    public bool Succeeded => Tokens is not null;

    /// <summary>Procore refused the grant itself: the refresh token or code is dead, or the client was revoked.</summary>
    public bool IsInvalidGrant => Error is "invalid_grant";

    /// <summary>
    /// A failure that may pass: Procore could not be reached, timed out, throttled (429, or 503
    /// under heavy load) or failed (5xx). Anything else is Procore's considered answer.
    /// </summary>
    public bool IsTransient => !Succeeded && Status is 0 or 429 or >= 500;

    /// <summary>The client id or secret was refused.</summary>
    public bool IsInvalidClient => Error is "invalid_client" or "unauthorized_client";
}
