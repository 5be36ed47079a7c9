using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.Tokens;

/// <summary>
/// One refresh per token at a time: a semaphore per workspace (or shared token) in this process,
/// and the token's lease in Table Storage across instances.
/// </summary>
public sealed class RefreshGate(RefreshLeaseStore leases, WorkspaceRepository workspaces, TimeProvider time, IOptions<TokenOptions> options)
{
    private readonly ConcurrentDictionary<WorkspaceRef, SemaphoreSlim> _workspaceGates = new();
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _sharedGates = new(StringComparer.Ordinal);
    private readonly string _instance = Guid.NewGuid().ToString("N");

    /// <summary>Runs <paramref name="work"/> as the only caller for <paramref name="workspace"/> in this process: the in-process half of single flight.</summary>
    public Task<T> InGateAsync<T>(WorkspaceRef workspace, Func<Task<T>> work, CancellationToken cancellationToken) =>
        RunAsync(_workspaceGates.GetOrAdd(workspace, _ => new SemaphoreSlim(1, 1)), work, cancellationToken);

    /// <summary>Runs <paramref name="work"/> as the only caller for a client's shared token in this process.</summary>
    public Task<T> InGateAsync<T>(ClientTokenKey token, Func<Task<T>> work, CancellationToken cancellationToken) =>
        RunAsync(_sharedGates.GetOrAdd(token.Value, _ => new SemaphoreSlim(1, 1)), work, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> holding the workspace's refresh lease, with the row as it stands
    /// once the lease is held (another instance may have refreshed meanwhile); null when another
    /// holder kept the lease past <see cref="TokenOptions.LeaseWait"/> and
    /// <paramref name="whileWaiting"/>, given the row read again between tries, found no answer.
    /// </summary>
    public Task<T?> LeasedAsync<T>(
        Workspace workspace, Func<Workspace, Task<T>> work, Func<Workspace, Task<T?>>? whileWaiting, CancellationToken cancellationToken)
        where T : class
    {
        // Each read starts from the newest row seen, so a row deleted meanwhile leaves the last one read.
        var seen = workspace;
        return leases.RunLeasedAsync(
            workspace.Key, _instance,
            async () => await work(seen = await ReadAgainAsync(seen, cancellationToken)),
            whileWaiting is null ? null : async () => await whileWaiting(seen = await ReadAgainAsync(seen, cancellationToken)),
            cancellationToken);
    }

    /// <summary>Runs <paramref name="work"/> holding a shared token's lease; null when another holder kept it past <see cref="TokenOptions.LeaseWait"/>.</summary>
    public Task<T?> LeasedAsync<T>(ClientTokenKey token, Func<Task<T>> work, CancellationToken cancellationToken)
        where T : class =>
        leases.RunLeasedAsync(token.Value, _instance, work, whileWaiting: null, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> holding <paramref name="workspace"/>'s refresh lease (and this
    /// process's gate), so no refresh of its grant is in flight or starts meanwhile: for a change
    /// that takes the grant away. Not held (and nothing run) when another holder keeps it past
    /// <see cref="TokenOptions.LeaseWait"/>.
    /// </summary>
    public Task<(bool Held, T Result)> HoldingLeaseAsync<T>(Workspace workspace, Func<Task<T>> work, CancellationToken cancellationToken) =>
        InGateAsync(workspace.Ref, async () =>
            await leases.RunLeasedAsync(workspace.Key, _instance, async () => new StrongBox<T>(await work()), whileWaiting: null, cancellationToken) is { } done
                ? (true, done.Value!)
                : (false, default(T)!), cancellationToken);

    /// <summary>
    /// Whether a lease the sweep took in a batch still has time for a refresh: one with less than
    /// half its time left is not trusted to outlast it, and the next sweep takes the entry instead.
    /// </summary>
    public bool Trusts(RefreshLease lease) => lease.ExpiresAt - time.GetUtcNow() >= options.Value.LeaseDuration / 2;

    // The row as it stands now, if it is still the same workspace (not deleted and re-created meanwhile).
    private async Task<Workspace> ReadAgainAsync(Workspace workspace, CancellationToken cancellationToken) =>
        await workspaces.FindAsync(workspace.Ref, cancellationToken) is { } current && current.Key == workspace.Key ? current : workspace;

    private static async Task<T> RunAsync<T>(SemaphoreSlim gate, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await work();
        }
        finally
        {
            gate.Release();
        }
    }
}
