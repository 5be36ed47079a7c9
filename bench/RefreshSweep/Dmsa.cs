using ProcoreConnect.ClientManagement;
using ProcoreConnect.Clients;
using ProcoreConnect.Procore;
using ProcoreConnect.Refresh;
using ProcoreConnect.Tokens;
using ProcoreConnect.WorkspaceConnections;
using ProcoreConnect.Workspaces;
using ProcoreSimulator.State;

namespace RefreshSweep;

/// <summary>
/// Many workspaces on one client-credentials (DMSA) client: counts the token requests that reach
/// the simulator for their first tokens, for the sweep after the lead window, and for every
/// workspace asking again on a fresh instance.
/// </summary>
internal static class Dmsa
{
    public static async Task<bool> RunAsync(Func<BenchInstance> instances, SimulatorState state, ManualClock clock, int count)
    {
        await using var instance = instances();
        var app = new SimulatedClient { ClientId = "bench-dmsa", ClientSecret = "bench-dmsa-secret", Companies = [new SimulatedCompany(2001, "DMSA Bench")] };
        state.Register(app);
        await instance.Get<OAuthClientService>().UpsertAsync(
            new OAuthClientRef("bench", app.ClientId),
            new OAuthClientSettings { AuthFlow = AuthFlow.ClientCredentials, ClientId = app.ClientId, ClientSecret = app.ClientSecret },
            null, default);
        var ids = Enumerable.Range(0, count).Select(i => new WorkspaceRef("bench", $"dmsa-{i:D5}")).ToList();
        var connections = instance.Get<WorkspaceConnectionService>();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (id, ct) =>
            await connections.UpsertAsync(id, new ConnectionSettings { CompanyId = 2001, Environment = ProcoreEnvironment.Sandbox, OAuthClient = app.ClientId }, null, ct));

        var start = state.Stats().ClientCredentialsGrants;
        var first = await TokensAsync(instance, ids);
        var afterFirst = state.Stats().ClientCredentialsGrants;

        clock.Advance(TimeSpan.FromMinutes(85));
        var sweep = await instance.Get<RefreshSweeper>().SweepAsync(default);
        var afterSweep = state.Stats().ClientCredentialsGrants;

        await using var fresh = instances();
        var again = await TokensAsync(fresh, ids);
        var afterAgain = state.Stats().ClientCredentialsGrants;

        Console.WriteLine($"== DMSA at scale: {count} workspaces on one client-credentials client; token requests at the simulator");
        Console.WriteLine($"  first token of every workspace ({first} answered 200): {afterFirst - start} token request(s)");
        Console.WriteLine($"  the sweep after the lead window (due {sweep.Due}, refreshed {sweep.Refreshed}): {afterSweep - afterFirst} token request(s)");
        Console.WriteLine($"  every workspace asking again, on a fresh instance ({again} answered 200): {afterAgain - afterSweep} token request(s)");
        return first == count && again == count && afterFirst - start == 1 && afterSweep - afterFirst == 1 && afterAgain == afterSweep;
    }

    private static async Task<int> TokensAsync(BenchInstance instance, IReadOnlyList<WorkspaceRef> ids)
    {
        var tokens = instance.Get<TokenReader>();
        var ok = 0;
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (id, ct) =>
        {
            if ((await tokens.GetTokenAsync(id, ct)).Status == TokenStatus.Ok)
            {
                Interlocked.Increment(ref ok);
            }
        });
        return ok;
    }
}
