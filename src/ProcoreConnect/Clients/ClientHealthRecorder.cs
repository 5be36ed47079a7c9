using ProcoreConnect.Procore;

namespace ProcoreConnect.Clients;

/// <summary>
/// Changes a client's credential health in one environment (refused, failing, recovered) and
/// tells the client's owner once per change; a public client's health is the operator's, so no
/// partner hears of it.
/// </summary>
public sealed class ClientHealthRecorder(OAuthClientRepository clients, Events.EventPublisher events)
{
    /// <summary>
    /// Applies <paramref name="change"/> (null: no change) to the client's health in
    /// <paramref name="environment"/>, re-reading on conflict. Returns the health written, or null.
    /// </summary>
    public async Task<ConnectionHealth?> RecordAsync(
        OAuthClient client, ProcoreEnvironment environment, Func<OAuthClient, ConnectionHealth, ConnectionHealth?> change)
    {
        ConnectionHealth? before = null;
        var after = (await clients.ChangeAsync(client.Ref, c =>
        {
            before = c.TokenHealthIn(environment);
            return change(c, before) is { } health ? c.WithTokenHealth(environment, health) : null;
        }, CancellationToken.None))?.TokenHealthIn(environment);
        if (after is not null)
        {
            await AnnounceAsync(client.Ref, environment, before!, after);
        }

        return after;
    }

    /// <summary>Tells the owner of what a change of the whole client (a new secret) did to its health in each environment.</summary>
    public async Task AnnounceAsync(OAuthClient before, OAuthClient after)
    {
        foreach (var environment in before.TokenHealth.Keys.Union(after.TokenHealth.Keys))
        {
            await AnnounceAsync(after.Ref, environment, before.TokenHealthIn(environment), after.TokenHealthIn(environment));
        }
    }

    private async Task AnnounceAsync(OAuthClientRef client, ProcoreEnvironment environment, ConnectionHealth before, ConnectionHealth after)
    {
        if (!client.IsPublic && ConnectionHealth.EventOf(before, after) is { } type)
        {
            await events.PublishAsync(client.Owner, null, type, new
            {
                oauthClient = client.Name,
                environment = Common.WireName.Of(environment),
                reason = after.BrokenReason ?? before.BrokenReason,
            }, CancellationToken.None);
        }
    }

    /// <summary>
    /// Records that Procore refused <paramref name="secretVersion"/> of the client in
    /// <paramref name="environment"/>, if it is still the current one (a rotation meanwhile makes it moot).
    /// </summary>
    public Task<ConnectionHealth?> RefusedAsync(OAuthClient client, ProcoreEnvironment environment, string secretVersion, DateTimeOffset now) =>
        RecordAsync(client, environment, (c, h) => c.ClientSecret.Version != secretVersion || h.RefusedSecretVersion == secretVersion
            ? null
            : h.Broken(ConnectionHealth.InvalidClient, now) with { RefusedSecretVersion = secretVersion });
}
