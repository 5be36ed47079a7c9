using Azure;
using Azure.Data.Tables;

namespace ProcoreConnect.ProcoreCalls;

/// <summary>
/// A workspace's calls counted by one recorder over one hour, the health summary's source: row key
/// <c>h</c>, the hour inverted and the recorder's id, so recorders never write each other's rows.
/// </summary>
public sealed class CallCountsEntity : ITableEntity
{
    /// <summary>Every counts row key starts with it, after every chunk's (digits).</summary>
    public const string Prefix = "h";

    /// <inheritdoc />
    public string PartitionKey { get; set; } = "";

    /// <inheritdoc />
    public string RowKey { get; set; } = "";

    /// <inheritdoc />
    public DateTimeOffset? Timestamp { get; set; }

    /// <inheritdoc />
    public ETag ETag { get; set; }

    /// <summary>The hour's start.</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>Calls that ended in the hour, logged or not.</summary>
    public int Calls { get; set; }

    /// <summary>Those that ended 401.</summary>
    public int Status401 { get; set; }

    /// <summary>Those that ended 403.</summary>
    public int Status403 { get; set; }

    /// <summary>Those that ended 404.</summary>
    public int Status404 { get; set; }

    /// <summary>Those that ended 429.</summary>
    public int Status429 { get; set; }

    /// <summary>Those missing from the call log (its queue was full, or the write failed).</summary>
    public int NotLogged { get; set; }
}
