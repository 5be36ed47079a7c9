namespace ProcoreConnect.Procore;

/// <summary>The calls each workspace sent with one shared token over the last hour; callers lock it.</summary>
internal sealed class TokenCalls
{
    private readonly Dictionary<string, WorkspaceCalls> _workspaces = new(StringComparer.Ordinal);

    /// <summary>Whether no workspace is left (the token can be forgotten).</summary>
    public bool IsEmpty => _workspaces.Count == 0;

    /// <summary>Counts one of <paramref name="workspaceKey"/>'s calls, sent at <paramref name="now"/>.</summary>
    public void Count(string workspaceKey, DateTimeOffset now)
    {
        if (!_workspaces.TryGetValue(workspaceKey, out var calls))
        {
            calls = new WorkspaceCalls();
            _workspaces[workspaceKey] = calls;
        }

        calls.Count(now);
    }

    /// <summary>The workspace's calls since <paramref name="from"/>.</summary>
    public long CallsSince(string workspaceKey, DateTimeOffset from, DateTimeOffset now) =>
        _workspaces.TryGetValue(workspaceKey, out var calls) ? calls.Since(from, now) : 0;

    /// <summary>The workspaces that called since <paramref name="from"/>, counting <paramref name="asking"/> whether it did or not.</summary>
    public int ActiveSince(DateTimeOffset from, string asking)
    {
        var active = 0;
        var askingCounted = false;
        foreach (var (key, calls) in _workspaces)
        {
            if (calls.LastCall >= from)
            {
                active++;
                askingCounted |= key == asking;
            }
        }

        return askingCounted ? active : active + 1;
    }

    /// <summary>Forgets the workspaces that have not called since <paramref name="before"/>.</summary>
    public void ForgetIdle(DateTimeOffset before)
    {
        foreach (var (key, calls) in _workspaces)
        {
            if (calls.LastCall < before)
            {
                _workspaces.Remove(key);
            }
        }
    }
}
