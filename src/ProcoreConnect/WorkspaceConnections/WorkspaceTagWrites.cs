using ProcoreConnect.Workspaces;

namespace ProcoreConnect.WorkspaceConnections;

/// <summary>
/// Keeps the tag index in step with connection writes: a write's tags reach the index before the
/// row, and entries the row does not carry in the end leave it after.
/// </summary>
public sealed class WorkspaceTagWrites(WorkspaceRepository workspaces, WorkspaceTagIndex tagIndex, ILogger<WorkspaceTagWrites> logger)
{
    /// <summary>
    /// Adds index entries for the tags a write over <paramref name="existing"/> gives the workspace:
    /// <paramref name="asked"/>, or when left out, the ones it has.
    /// </summary>
    public async Task<TagWrite> AddAsync(WorkspaceRef workspace, Workspace? existing, IReadOnlyDictionary<string, string>? asked, CancellationToken cancellationToken)
    {
        var tags = asked ?? existing?.Tags ?? WorkspaceTags.None;
        var added = tags.Where(t => existing?.Tags.GetValueOrDefault(t.Key) != t.Value).ToList();
        await tagIndex.AddAsync(workspace, added, cancellationToken);
        return new TagWrite(tags, added);
    }

    /// <summary>
    /// The tags for a write retried over <paramref name="current"/> (tags left out keep what a
    /// concurrent writer wrote), with the entries it still lacks added.
    /// </summary>
    public async Task<TagWrite> AgainAsync(WorkspaceRef workspace, TagWrite before, Workspace? current, IReadOnlyDictionary<string, string>? asked)
    {
        var tags = asked ?? current?.Tags ?? WorkspaceTags.None;
        var more = tags.Where(t => current?.Tags.GetValueOrDefault(t.Key) != t.Value && !before.Added.Contains(t)).ToList();
        await tagIndex.AddAsync(workspace, more, CancellationToken.None);
        return new TagWrite(tags, [.. before.Added, .. more]);
    }

    /// <summary>
    /// Removes the entries of <paramref name="tags"/> that the row standing now does not carry.
    /// Read now, not taken from what the write saw: a concurrent writer that won may carry the same
    /// tags, and its entries must stay. Best effort: a stale entry is checked against the row on use.
    /// </summary>
    public async Task ForgetAsync(WorkspaceRef workspace, IEnumerable<KeyValuePair<string, string>> tags)
    {
        try
        {
            var current = await workspaces.FindAsync(workspace, CancellationToken.None);
            await tagIndex.RemoveAsync(workspace, tags.Where(t => current?.Tags.GetValueOrDefault(t.Key) != t.Value).ToList(), CancellationToken.None);
        }
#pragma warning disable CA1031 // A stale entry costs a point read when someone filters by it; never worth failing a write.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogWarning(ex, "Could not remove tag index entries of workspace {WorkspaceId}", workspace.Id);
        }
    }
}
