using System.Collections.Concurrent;
using ProcoreConnect.Workspaces;

namespace ProcoreConnect.ProcoreCalls;

/// <summary>
/// Finds a logged call's workspace key from the workspace's row, read at most
/// once a minute per workspace, off the request path (a proxied call does not read the row).
/// </summary>
public sealed class CallOwners(WorkspaceRepository workspaces, TimeProvider time)
{
    private static readonly TimeSpan Keep = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<WorkspaceRef, (string Key, DateTimeOffset ReadAt)> _owners = new();

    /// <summary>
    /// The workspace's key; null when it is gone or being deleted (its calls are then
    /// not logged), or is another creation than <paramref name="key"/> (when known).
    /// </summary>
    public async Task<string?> FindAsync(WorkspaceRef reference, string key, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!_owners.TryGetValue(reference, out var owner) || now - owner.ReadAt > Keep || (key.Length > 0 && key != owner.Key))
        {
            if (await workspaces.FindVisibleAsync(reference, cancellationToken) is not { } workspace)
            {
                _owners.TryRemove(reference, out _);
                return null;
            }

            owner = (workspace.Key, now);
            _owners[reference] = owner;
        }

        return key.Length > 0 && key != owner.Key ? null : owner.Key;
    }
}
