namespace ProcoreConnect.WorkspaceConnections;

/// <summary>
/// The tags a connection write gives the workspace, and the tag index entries it added for them
/// (ahead of the row), which it removes again if the row does not carry them in the end.
/// </summary>
public sealed record TagWrite(IReadOnlyDictionary<string, string> Tags, IReadOnlyList<KeyValuePair<string, string>> Added);
