namespace ProcoreConnect.ConnectLinks;

/// <summary>
/// How a sign-in that brought a code ended: what its connect link records, the status the partner's
/// return URL gets, the page's status code, heading and message (and whether trying again may
/// help), and the outcome's telemetry label.
/// </summary>
public sealed record SignInResult(ConnectLinkOutcome Outcome, string ReturnStatus, int Status, string Heading, string Message, bool Retryable, string Label)
{
    /// <summary>A sign-in that connected nothing.</summary>
    public static SignInResult Failed(int status, string message, bool retryable, string label, string heading = "Not connected") =>
        new(ConnectLinkOutcome.Failed, "failed", status, heading, message, retryable, label);
}
