using ProcoreConnect.Procore;
using ProcoreConnect.Secrets;

namespace ProcoreConnect.Clients;

/// <summary>
/// Decides whether Procore really refuses a client's credentials in an environment before that
/// refusal stops anyone else: the service asks Procore itself, with the stored secret, in a
/// request nobody else shapes, and marks the client refused there only on <c>invalid_client</c>.
/// </summary>
/// <remarks>
/// A code exchange or a refresh carries what a partner or a person brought (a code, a grant in a
/// partner's workspace), and one partner's sign-in on a shared client must not switch it off for
/// the others. A client-credentials request authenticates the client before anything else (RFC 6749
/// §5.2): <c>invalid_client</c> means the credentials are refused; any other answer, a token or
/// <c>unauthorized_client</c> included, means they were accepted.
/// </remarks>
public sealed class ClientRefusals(
    SecretVersionCache secrets, ProcoreOAuthClient oauth, ClientHealthRecorder health, TimeProvider time, ILogger<ClientRefusals> logger)
{
    /// <summary>
    /// Called after <paramref name="client"/>'s credentials met <c>invalid_client</c> in
    /// <paramref name="environment"/>: asks Procore again and records the refusal there when it is
    /// confirmed. True when confirmed.
    /// </summary>
    public async Task<bool> ConfirmAsync(OAuthClient client, ProcoreEnvironment environment, CancellationToken cancellationToken)
    {
        var version = client.ClientSecret.Version;
        var secret = await secrets.GetAsync(client.ClientSecret, cancellationToken);
        var probe = await oauth.ClientCredentialsAsync(environment, client.ClientId, secret, cancellationToken);
        if (probe.Tokens is { } unneeded)
        {
            // Accepted, and a token nobody asked for: give it back.
            await oauth.RevokeAsync(environment, client.ClientId, secret, unneeded.AccessToken, CancellationToken.None);
        }

        if (probe.Error != "invalid_client")
        {
            logger.LogWarning(
                "OAuth client {Client}: a refusal in {Environment} was not confirmed ({Answer}); the client stays usable there",
                client.Ref, environment, probe.Succeeded ? "accepted" : probe.Error);
            return false;
        }

        await health.RefusedAsync(client, environment, version, time.GetUtcNow());
        logger.LogWarning("OAuth client {Client}: Procore refuses its secret in {Environment}, confirmed; nothing is presented there with it", client.Ref, environment);
        return true;
    }
}
