using System.Collections.Concurrent;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.ProcoreCalls;

/// <summary>
/// Fills in a logged call's workspace key and OAuth client from the workspace's row, read at most
/// once a minute per workspace, off the request path (a proxied call does not read the row).
/// </summary>
public sealed class CallOwners(WorkspaceRepository workspaces, TimeProvider time)
{
    private static readonly TimeSpan Keep = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<WorkspaceRef, (string Key, string Client, DateTimeOffset ReadAt)> _owners = new();

    /// <summary>Completes the call; false when its workspace is gone (the call is then not logged).</summary>
    public async Task<bool> CompleteAsync(ProcoreCallEntity call, CancellationToken cancellationToken)
    {
        var reference = new WorkspaceRef(call.PartnerId, call.WorkspaceId);
        var now = time.GetUtcNow();
        if (!_owners.TryGetValue(reference, out var owner) || now - owner.ReadAt > Keep || (call.PartitionKey.Length > 0 && call.PartitionKey != owner.Key))
        {
            if (await workspaces.FindAsync(reference, cancellationToken) is not { } workspace)
            {
                _owners.TryRemove(reference, out _);
                return false;
            }

            owner = (workspace.Key, workspace.Client.Key, now);
            _owners[reference] = owner;
        }

        if (call.PartitionKey.Length == 0)
        {
            call.PartitionKey = owner.Key;
        }

        call.Client = owner.Client;
        return true;
    }
}
