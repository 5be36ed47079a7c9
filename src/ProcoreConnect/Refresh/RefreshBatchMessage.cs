using System.Text.Json.Serialization;

namespace ProcoreConnect.Refresh;

/// <summary>The body of a refresh queue message naming several due entries (what the sweep enqueues).</summary>
public sealed record RefreshBatchMessage
{
    /// <summary>The entries, each as a single-entry message would name it.</summary>
    [JsonPropertyName("entries")]
    public IReadOnlyList<RefreshMessage>? Entries { get; init; }
}
