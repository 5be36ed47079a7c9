using ProcoreConnect.Clients;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tokens;

/// <summary>
/// Refreshes an authorization-code workspace's token under its refresh lease, by exactly one caller
/// across instances: takes the lease, reads the row and its client again (another instance may have
/// refreshed, failed or changed the secret meanwhile; a refresh presented with a stale secret would
/// burn the refresh token), lets a token that landed meanwhile answer, and only then presents the
/// refresh token once (<see cref="RefreshAttempt"/>).
/// </summary>
public sealed class RefreshProtocol(RefreshGate gate, TokenEligibility eligibility, HeldTokens held, OAuthClientRepository clients, RefreshAttempt attempt)
{
    /// <summary>
    /// A token for a caller of the token API, refreshed when the held one does not answer: one not
    /// due, or with <paramref name="issuedSince"/>, one issued since then. Callers waiting for the
    /// lease are answered by the holder's token when it answers them too.
    /// </summary>
    public async Task<TokenOutcome> RefreshAsync(Workspace workspace, DateTimeOffset? issuedSince, CancellationToken cancellationToken)
    {
        if (await held.WithoutRefreshAsync(workspace, issuedSince, cancellationToken) is { } answer)
        {
            return answer;
        }

        return await gate.LeasedAsync(
                workspace,
                async current =>
                {
                    // The instance that held the lease may have refreshed, or failed and set a back-off.
                    if (await held.WithoutRefreshAsync(current, issuedSince, cancellationToken) is { } meanwhile)
                    {
                        return meanwhile;
                    }

                    var client = await clients.FindAsync(current.Client, cancellationToken);
                    return issuedSince is null
                        ? await attempt.RefreshDueAsync(current, client, batch: null, cancellationToken)
                        : await attempt.RefreshNowAsync(current, client, cancellationToken);
                },
                whileWaiting: current => held.SatisfyingAsync(current, issuedSince, cancellationToken),
                cancellationToken)
            ?? LeaseKept;
    }

    /// <summary>
    /// Refreshes a connected authorization-code workspace now with <paramref name="candidate"/>'s
    /// <paramref name="clientSecret"/> instead of the stored one: rotating a client's secret proves
    /// the new secret this way before making it current. The back-off after failed refreshes does
    /// not hold: the candidate may be what ends the failures.
    /// </summary>
    public Task<TokenOutcome> ProveSecretAsync(WorkspaceRef workspaceRef, OAuthClient candidate, string clientSecret, CancellationToken cancellationToken) =>
        gate.InGateAsync(workspaceRef, async () =>
        {
            var (workspace, refused) = await eligibility.CheckAsync(workspaceRef, importing: false, cancellationToken);
            if (workspace is null)
            {
                return refused!;
            }

            if (workspace.AuthFlow == AuthFlow.ClientCredentials)
            {
                return NoRefreshToken;
            }

            return await gate.LeasedAsync(workspace, current => attempt.ProveSecretAsync(current, candidate, clientSecret, cancellationToken), whileWaiting: null, cancellationToken)
                ?? LeaseKept;
        }, cancellationToken);

    /// <summary>The answer when another holder kept the workspace's refresh lease past the wait.</summary>
    public static TokenOutcome LeaseKept { get; } = new(TokenStatus.Busy, Detail: "Another instance is refreshing this workspace's token; retry shortly.");

    /// <summary>The answer for a refresh-token operation on a client-credentials workspace.</summary>
    public static TokenOutcome NoRefreshToken { get; } = new(TokenStatus.InvalidClient, Detail: "A client-credentials workspace holds no refresh token.");
}
