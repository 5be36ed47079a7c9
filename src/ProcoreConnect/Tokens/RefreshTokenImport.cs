using ProcoreConnect.Clients;
using ProcoreConnect.Procore;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tokens;

/// <summary>
/// The token side of a connection write that brings a refresh token or takes a grant away: a
/// token imported into the grant a workspace holds, a token redeemed for a new or moved workspace
/// (stored once its row is written), and a move to another client or environment run under the
/// workspace's refresh lease.
/// </summary>
public sealed class RefreshTokenImport(
    RefreshGate gate, TokenEligibility eligibility, OAuthClientRepository clients, RefreshAttempt attempt, HeldTokens held, GrantConnector connector)
{
    /// <summary>
    /// Redeems a refresh token a partner brings from elsewhere for an authorization-code workspace,
    /// once: a success stores the rotated tokens and connects the workspace; a failure records
    /// nothing on the workspace (the caller undoes what it wrote) and says whether Procore refused
    /// the token or could not be asked.
    /// </summary>
    /// <remarks>
    /// The token is presented only if the workspace still has <paramref name="expected"/>'s client and
    /// environment under the lease: a token issued to one app, presented with another's credentials,
    /// would be spent for nothing.
    /// </remarks>
    public Task<TokenOutcome> ImportAsync(Workspace expected, string refreshToken, CancellationToken cancellationToken) =>
        gate.InGateAsync(expected.Ref, async () =>
        {
            // An imported refresh token is what connects a pending workspace or mends a broken one.
            var (workspace, refused) = await eligibility.CheckAsync(expected.Ref, importing: true, cancellationToken);
            if (workspace is null)
            {
                return refused!;
            }

            if (workspace.AuthFlow == AuthFlow.ClientCredentials)
            {
                return RefreshProtocol.NoRefreshToken;
            }

            return await gate.LeasedAsync(workspace, async current =>
                    current.Key != expected.Key || current.Client != expected.Client || current.Environment != expected.Environment || current.CompanyId != expected.CompanyId
                        ? new TokenOutcome(TokenStatus.Busy, Detail: "The workspace's client, environment or company changed meanwhile; the refresh token was not used. Read it and retry.")
                        : await attempt.ImportAsync(current, await clients.FindAsync(current.Client, cancellationToken), refreshToken, cancellationToken),
                    whileWaiting: null, cancellationToken)
                ?? RefreshProtocol.LeaseKept;
        }, cancellationToken);

    /// <summary>
    /// Redeems a refresh token issued elsewhere with <paramref name="client"/> in
    /// <paramref name="environment"/>, storing nothing (see <see cref="RefreshAttempt.RedeemAsync"/>);
    /// the new tokens go to <see cref="StoreRedeemedAsync"/> once the row is written.
    /// </summary>
    public Task<(TokenOutcome Outcome, ProcoreTokenResponse? Tokens)> RedeemAsync(
        ProcoreEnvironment environment, OAuthClient client, string refreshToken, CancellationToken cancellationToken) =>
        attempt.RedeemAsync(environment, client, refreshToken, cancellationToken);

    /// <summary>Stores redeemed tokens as the grant of the workspace just written, and connects it.</summary>
    public Task<Workspace> StoreRedeemedAsync(Workspace written, ProcoreTokenResponse tokens, CancellationToken cancellationToken) =>
        connector.ConnectAsync(written, tokens, cancellationToken);

    /// <summary>
    /// Runs a move of <paramref name="original"/> to another client or environment (which takes its
    /// grant away) under its refresh lease, so a refresh in flight lands first and none starts
    /// meanwhile (see <see cref="RefreshGate.HoldingLeaseAsync"/>).
    /// </summary>
    public Task<(bool Held, T Result)> MoveAsync<T>(Workspace original, Func<Task<T>> move, CancellationToken cancellationToken) =>
        gate.HoldingLeaseAsync(original, move, cancellationToken);

    /// <summary>The access token of the grant a move or an import replaces, to revoke (see <see cref="HeldTokens.NewestAccessTokenAsync"/>).</summary>
    public Task<string?> ReplacedGrantAsync(Workspace original, CancellationToken cancellationToken) =>
        held.NewestAccessTokenAsync(original, cancellationToken);
}
